/**
 * Aggregates over runs: statistics per scope and group, the top runs by a figure, conversation
 * threads. Pure reads through the LangSmith client.
 */
export { STATS_SELECT, GROUP_ORDERS, toFigures, type Figures, type GroupOrder } from "./figures.js";
export { readStats, statsRequest, type GroupRequest, type StatsResult, type StatsScope } from "./stats.js";
export { topRuns, TOP_FIELDS, type TopField, type TopRuns } from "./top-runs.js";
export { listThreads, readThread, type ThreadSummary, type ThreadTurn } from "./threads.js";
