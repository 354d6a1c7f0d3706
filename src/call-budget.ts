/**
 * How long one MCP call may wait in total. MCP clients give up on a request after their own
 * timeout whatever progress arrives (the official TypeScript client: 60 s, answered with
 * -32001), so every wait inside a call spends from one per-call deadline: a tool's polling,
 * the LangSmith client's retry sleeps and Retry-After, the length of a request attempt. Work
 * that would outlast it answers instead and says how to continue.
 *
 * The budget of the running call is carried with the call's async context (server.ts starts
 * it around the handler), so the LangSmith client deep below a tool reads the same deadline
 * without every endpoint method taking it as a parameter.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Below the official TypeScript client's 60 s request timeout, with room to send the answer. */
export const DEFAULT_CALL_BUDGET_MS = 45_000;

const running = new AsyncLocalStorage<CallBudget>();

export class CallBudget {
  readonly limitMs: number;
  private readonly startedMs: number;

  /** @param clock milliseconds, injectable for tests. */
  constructor(
    limitMs: number = DEFAULT_CALL_BUDGET_MS,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(limitMs >= 0)) throw new RangeError(`a call budget must be ≥ 0 ms, got ${limitMs}`);
    this.limitMs = limitMs;
    this.startedMs = clock();
  }

  /** The budget of the call whose code is running; undefined outside a tool call. */
  static current(): CallBudget | undefined {
    return running.getStore();
  }

  /** Runs `work` as this call: CallBudget.current() inside it answers this budget. */
  run<T>(work: () => T): T {
    return running.run(this, work);
  }

  elapsedMs(): number {
    return Math.max(0, this.clock() - this.startedMs);
  }

  remainingMs(): number {
    return Math.max(0, this.limitMs - this.elapsedMs());
  }

  /** Whether a wait of `ms` ends before the deadline. */
  allows(ms: number): boolean {
    return ms <= this.remainingMs();
  }

  /** The limit in whole seconds, as agent-facing copy quotes it. */
  get limitSeconds(): number {
    return Math.floor(this.limitMs / 1000);
  }
}

/** Whole seconds to quote for a wait, never "0 s". */
export const quoteSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
