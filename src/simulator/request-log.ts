/**
 * A bounded log of the API requests the simulator answered (control requests excluded), so
 * tests can assert how a client behaved: how many calls, retries, which paths, which faults.
 */
export interface RequestLogEntry {
  seq: number;
  /** Simulated time, ISO. */
  at: string;
  method: string;
  /** Without the query string. */
  path: string;
  /** null when the connection was reset without an answer. */
  status: number | null;
  fault: string | null;
  /** Bytes of the response body sent (0 when none was sent). */
  bytes: number;
  /**
   * How many objects the body listed: runs of a runs query (`items`, v1 `runs`), the elements of
   * a bare array (exports, an export's runs, destinations), 1 for a single object; 0 for none.
   * What a test or benchmark counts as "read" without parsing bodies itself.
   */
  items: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private start = 0;
  private seq = 0;

  constructor(private readonly capacity = 20_000) {}

  record(entry: Omit<RequestLogEntry, "seq">): void {
    const full = { ...entry, seq: ++this.seq };
    if (this.entries.length < this.capacity) {
      this.entries.push(full);
    } else {
      this.entries[this.start] = full;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  list(): RequestLogEntry[] {
    return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}
