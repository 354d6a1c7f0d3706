/**
 * When a queued deletion should be done. Seed 003: LangSmith deletes "on the weekend" after the
 * request (UTC Saturday–Sunday, contract §5). A request made during a weekend may miss that
 * weekend's batch, so the expected window is the first full weekend that starts after the
 * request: Saturday 00:00 UTC to Monday 00:00 UTC. Judged on LangSmith's clock.
 */
const DAY_MS = 86_400_000;
const SATURDAY = 6;
const WEEKEND_DAYS = 2;

export function expectedCompletionWindow(requestedAt: Date): { start: string; end: string } {
  const ms = requestedAt.getTime();
  const midnight = Math.floor(ms / DAY_MS) * DAY_MS;
  let saturday = midnight + ((SATURDAY - new Date(midnight).getUTCDay() + 7) % 7) * DAY_MS;
  if (saturday <= ms) saturday += 7 * DAY_MS;
  return { start: new Date(saturday).toISOString(), end: new Date(saturday + WEEKEND_DAYS * DAY_MS).toISOString() };
}
