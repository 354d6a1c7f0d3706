/** Number and time formatting shared by the views (en-US, UTC unless the host says otherwise). */

export const num = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** A duration in seconds: 850 ms, 12.3 s, 4 min 5 s, 2 h 10 min. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Number(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** US dollars with enough digits for a fraction of a cent. */
export function usd(value: number): string {
  if (value === 0) return "$0";
  const digits = value < 0.01 ? 5 : value < 1 ? 4 : 2;
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;
}

export const percent = (share: number): string => `${Number((share * 100).toFixed(share < 0.1 ? 2 : 1))}%`;

/** `2026-11-30 20:28 UTC` from an ISO time; the text as given when it is not one. */
export function utc(iso: string | undefined): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `2026-11-30` from an ISO time. */
export const day = (iso: string): string => (Number.isFinite(Date.parse(iso)) ? new Date(Date.parse(iso)).toISOString().slice(0, 10) : iso);

export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const numOrUndef = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
