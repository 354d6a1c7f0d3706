/** The LangSmith simulator: a faithful HTTP stand-in for the contract in /work/shared/langsmith-api.md. */
export { startSimulator, SIMULATOR_ROUTES, type ResponseInfo, type RunningSimulator, type SimulatorOptions } from "./server.js";
export type { SimClock } from "./clock.js";
export { SimStore, compareRuns, type ProjectStats } from "./store.js";
export type { RunStatus, RunType, SimOrganization, SimProject, SimRun, SimWorkspace } from "./model.js";
export { generateDataset, type SeedData } from "./seed.js";
export { RATE_LIMITS } from "./rate-limit.js";
export { V2_SELECTS, toV1, toV2, shareUrl, type V2Select } from "./views.js";
export { apiCall, control, type SimHttpResult, type SimTarget } from "./testing.js";
export { ObjectStore, type Credentials, type SeededStorage } from "./object-store.js";
export { DEFAULT_EXPORT_LIMITS, type ExportLimits } from "./export-limits.js";
export { EXPORT_FAULT_SCENARIOS, SCENARIO_SPECS, type ExportFaultScenario } from "./export-faults.js";
export { DESTINATION_PHRASES, STORAGE_ERROR_MESSAGES, type StorageErrorCode, type StorageProvider } from "./storage-errors.js";
export { DEMO_BUCKET, DEMO_CREDENTIALS, DEMO_ROTATION_CREDENTIALS, DEMO_CREDENTIALS_NOTE } from "./demo-credentials.js";
