/**
 * Cancellation across stateless requests. Stateless HTTP serves each POST with its own MCP
 * server, so a client's `notifications/cancelled` reaches a fresh instance that never saw the
 * request it names (the SDK matches cancellations per instance and finds nothing), while the
 * instance running the call keeps going until its response closes, which the SDK client does
 * not do when it cancels. This registry knows the calls in flight by caller (the LangSmith
 * key's fingerprint) and JSON-RPC id, and ends the one a cancellation names; ending it closes
 * its transport, and the SDK aborts every handler of a closing server.
 */
type End = () => void;

interface Message {
  id?: unknown;
  method?: unknown;
  params?: { requestId?: unknown };
}

const messagesOf = (body: unknown): Message[] =>
  (Array.isArray(body) ? body : [body]).filter((m): m is Message => typeof m === "object" && m !== null);

const isId = (id: unknown): id is string | number => typeof id === "string" || typeof id === "number";
const keyOf = (caller: string, id: string | number): string => `${caller}\u0000${typeof id}:${id}`;

export class StatelessCalls {
  private readonly calls = new Map<string, Set<End>>();

  /** Remembers the requests of a POST body until the returned function is called. */
  track(caller: string, body: unknown, end: End): () => void {
    const keys = messagesOf(body)
      .filter((m) => typeof m.method === "string" && isId(m.id))
      .map((m) => keyOf(caller, m.id as string | number));
    for (const key of keys) {
      const ends = this.calls.get(key) ?? new Set<End>();
      ends.add(end);
      this.calls.set(key, ends);
    }
    return () => {
      for (const key of keys) {
        const ends = this.calls.get(key);
        ends?.delete(end);
        if (ends?.size === 0) this.calls.delete(key);
      }
    };
  }

  /**
   * Ends the calls the cancellations in a POST body name. Ids are the client's own counters,
   * so two clients sharing a key may both have a request 7 in flight: an id held twice is
   * ambiguous, and neither call is ended (the spec lets a cancellation go unanswered).
   * @returns how many calls were ended.
   */
  cancel(caller: string, body: unknown): number {
    let ended = 0;
    for (const message of messagesOf(body)) {
      if (message.method !== "notifications/cancelled" || !isId(message.params?.requestId)) continue;
      const ends = this.calls.get(keyOf(caller, message.params.requestId));
      if (ends?.size !== 1) continue;
      for (const end of ends) end();
      ended++;
    }
    return ended;
  }
}
