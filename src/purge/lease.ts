/**
 * Who holds a batch's send claim. The default ledger is shared by every server process of the
 * user (several MCP clients at once), so a claim names its process and call: host, pid, a
 * random part fixed for the process (a pid is reused after a restart) and one per call. A
 * claim whose owner ran on this host and whose process no longer runs is dead (a crash, a
 * SIGKILL) and may be taken over before its lease ends.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

const HOST = hostname();
const PROCESS_NONCE = randomBytes(4).toString("hex");

/** A claim owner for one sending call of this process. */
export const newClaimOwner = (): string => `${HOST}/${process.pid}/${PROCESS_NONCE}/${randomBytes(3).toString("hex")}`;

/** True when `owner` names a process on this host that is not running any more. */
export function isDeadOwner(owner: string): boolean {
  const [host, pid, nonce] = owner.split("/");
  if (host !== HOST || !pid || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return nonce !== PROCESS_NONCE;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    // EPERM: it runs, under another user. ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** "another process (pid 123)" or "another call of this server", for messages. */
export function describeOwner(owner: string | null): string {
  if (!owner) return "another process";
  const [host, pid, nonce] = owner.split("/");
  if (host === HOST && Number(pid) === process.pid && nonce === PROCESS_NONCE) return "another call of this server";
  return `another process (pid ${pid}${host === HOST ? "" : ` on ${host}`})`;
}
