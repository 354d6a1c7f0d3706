/** The two protocol revisions the server speaks; every harness takes one (2025-11-25 by default). */
export type Protocol = "2025-11-25" | "2026-07-28";
export const PROTOCOLS: readonly Protocol[] = ["2025-11-25", "2026-07-28"];

/** Client options that make an SDK v2 Client speak `protocol`: 2026-07-28 has no handshake. */
export const clientProtocolOptions = (protocol: Protocol | undefined) =>
  protocol === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" as const } } } : {};
