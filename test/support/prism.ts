/**
 * Stoplight Prism (`prism mock --dynamic`) serving the merged LangSmith spec over loopback, as
 * outside truth for our client: Prism validates every request we send against the spec and
 * answers with data generated from the spec's response schemas.
 *
 * Prism 5.16 has no JSON log option: the CLI pipes its pino log through signale as text. Two
 * views of its validation are therefore collected:
 *   - per exchange, the `sl-violations` response header (JSON: location, severity, code,
 *     message), which Prism sets on every response whose request or generated response broke
 *     the spec. A recording interceptor on the dispatcher we inject into our client reads it,
 *     so each violation carries its exact method, path and status.
 *   - the text log, for what the header cannot carry: a request Prism refuses outright (a
 *     missing security header ends in a problem+json error without that header).
 * Both must be empty of request violations.
 *
 * Reproducibility: `--seed` reseeds the generator with the same value on every request, so
 * every response to one operation would be identical (20 rounds of one answer). Instead the
 * interceptor sends Prism's per-request seed, `Prefer: seed=…`, derived from the run's seed,
 * a label the test sets (round and tool) and the request's method, path and occurrence. A
 * failure names its seed; the same seed gives the same body.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Agent, type Dispatcher, request as undiciRequest } from "undici";
import { loadLangSmithSpec, type OpenApiDocument } from "./langsmith-openapi.js";

const require = createRequire(import.meta.url);

/** The CLI's JS entry, run with this Node (`node_modules/.bin/prism` is a symlink to it). */
export const PRISM_ENTRY = (() => {
  const manifest = require.resolve("@stoplight/prism-cli/package.json");
  const { bin } = require(manifest) as { bin: { prism: string } };
  return join(dirname(manifest), bin.prism);
})();

const START_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 10_000;
/** Requests of settle(): no operation of the spec lives here, so Prism answers 404 and logs it. */
const SYNC_PATH = "/__harness_sync";
/** Fixed, so `npm test` sees the same generated data every run; PRISM_SEED explores others. */
export const DEFAULT_SEED = process.env.PRISM_SEED ?? "langsmith-mcp-1";
const STOP_TIMEOUT_MS = 5_000;

export interface Violation {
  /** "request" (our request broke the spec) or "response" (Prism's generated body did). */
  side: "request" | "response";
  method: string;
  path: string;
  /** HTTP status Prism answered with; undefined when only the log saw it. */
  status?: number;
  /** e.g. "query.limit", "body.trace_ids", "" for the request as a whole (security). */
  location: string;
  severity: string;
  message: string;
  /** Where it was read: the exchange's sl-violations header or Prism's log. */
  source: "header" | "log";
  seed?: string;
}

/** One request our client sent and Prism's answer to it. */
export interface Exchange {
  seq: number;
  label: string;
  method: string;
  /** Path without query. */
  path: string;
  query: string;
  seed: string;
  status?: number;
  violations: Violation[];
  /** Its next_cursor was removed (setLabel's `lastPage`). */
  lastPage?: true;
}

/** A line of Prism's text log that means Prism itself could not serve a request. */
export interface PrismFailure {
  method: string;
  path: string;
  message: string;
}

export interface RunningPrism {
  url: string;
  /** The run's seed; every request's own seed derives from it, so a run can be repeated. */
  seed: string;
  /** Inject into the client under test: seeds each request and records Prism's verdict. */
  dispatcher: Dispatcher;
  /**
   * Label of the following requests (e.g. "r3 get_run"); part of each request's seed. With
   * `replay`, the label's requests are numbered afresh, so repeating them gets the very answers
   * they got before: a confirmation step sees the data its plan saw, as it would on LangSmith.
   * With `lastPage`, the label's `POST /api/v2/runs/query` answers come back without
   * `next_cursor`: Prism's dynamic mode always generates that optional field, so a loop that
   * pages to the end (the deletion tools) would otherwise only ever reach its page cap. A last
   * page is an answer the spec allows; only that one field is removed, after Prism validated.
   */
  setLabel(label: string, options?: { replay?: boolean; lastPage?: boolean }): void;
  exchanges: readonly Exchange[];
  /**
   * Resolves once Prism's log has caught up with every request answered so far. Prism writes
   * some lines (a refused request's error) after the response, and the log arrives through a
   * pipe: read violations() and failures() only after this.
   */
  settle(): Promise<void>;
  /** Violations of every exchange (header) plus those only the log shows, deduplicated. */
  violations(): Violation[];
  /** Requests Prism answered with an error of its own (generator failures, refused requests). */
  failures(): PrismFailure[];
  log(): string;
  close(): Promise<void>;
}

/**
 * Workarounds for Prism, each a place where Prism misreads a valid spec; applied only to the
 * copy Prism serves.
 */
export const PRISM_WORKAROUNDS: ReadonlyArray<{ what: string; apply: (doc: OpenApiDocument) => void }> = [
  {
    // prism-http 5.16 validator/deserializers/style/form.js turns `a=x` into ["x"] only when the
    // parameter's schema says `type: array`; under `anyOf: [array, null]` it keeps the string
    // "x" and then reports "must be array" for a correctly serialized one-element array (e.g.
    // GET /api/v1/audit-logs?operations=delete_runs). A query string cannot carry null (absence
    // is null), so the array branch alone describes the same requests.
    what: "query parameters typed anyOf [array, null] are served as the array branch",
    apply: (doc) => {
      for (const item of Object.values(doc.paths)) {
        for (const op of Object.values(item)) {
          for (const param of (op["parameters"] ?? []) as Array<Record<string, unknown>>) {
            const schema = param["schema"] as { anyOf?: Array<Record<string, unknown>> } | undefined;
            const branches = schema?.anyOf;
            if (param["in"] !== "query" || !branches) continue;
            const array = branches.find((b) => b["type"] === "array");
            if (array && branches.every((b) => b === array || b["type"] === "null")) {
              const { anyOf: _dropped, ...rest } = schema;
              param["schema"] = { ...rest, ...array };
            }
          }
        }
      }
    },
  },
];

/** The merged spec (with its overlay) plus PRISM_WORKAROUNDS, written as JSON into `dir`. */
export function writePrismSpec(dir: string): string {
  const doc = loadLangSmithSpec();
  for (const workaround of PRISM_WORKAROUNDS) workaround.apply(doc);
  const path = join(dir, "langsmith-openapi.prism.json");
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/**
 * Starts `prism mock -d <spec>` on a free loopback port as its own process group and resolves
 * once it listens.
 * @throws when Prism exits or does not listen within 30 s (its log is in the message).
 */
export async function startPrism(options: { spec: string; seed?: string }): Promise<RunningPrism> {
  const seed = options.seed ?? DEFAULT_SEED;
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM_ENTRY, "mock", "--dynamic", options.spec, "--host", "127.0.0.1", "--port", String(port)], {
    // Own process group, so close() can end Prism and anything it forks in one signal.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // Plain text: the log is parsed below, colour codes would only get in the way.
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  let log = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));

  const url = `http://127.0.0.1:${port}`;
  await waitForListening(child, () => log, `Prism is listening on ${url}`);

  const exchanges: Exchange[] = [];
  let label = "";
  let lastPage = false;
  const occurrences = new Map<string, number>();
  const record: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    const method = String(opts.method ?? "GET").toUpperCase();
    const [path = "", query = ""] = String(opts.path).split("?", 2);
    const key = `${label}|${method} ${path}`;
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    // Prefer's values are tokens or quoted strings; keep the seed a token.
    const requestSeed = `${seed}.${hash(`${key}#${n}`)}`;
    const exchange: Exchange = { seq: exchanges.length + 1, label, method, path, query, seed: requestSeed, violations: [] };
    exchanges.push(exchange);
    const headers = withHeader(opts.headers, "prefer", `seed=${requestSeed}`);
    let rewrite = lastPage && method === "POST" && path === "/api/v2/runs/query";
    const held: Buffer[] = [];
    return dispatch(
      { ...opts, headers },
      {
        onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
        onRequestUpgrade: (controller, status, h, socket) => handler.onRequestUpgrade?.(controller, status, h, socket),
        onResponseStart: (controller, status, h, statusMessage) => {
          exchange.status = status;
          exchange.violations = parseViolationHeader(h["sl-violations"], exchange);
          rewrite &&= status >= 200 && status < 300;
          // The body changes length: the client reads it to its end instead.
          const out = rewrite ? Object.fromEntries(Object.entries(h).filter(([k]) => k.toLowerCase() !== "content-length")) : h;
          return handler.onResponseStart?.(controller, status, out, statusMessage);
        },
        onResponseData: (controller, chunk) => {
          if (!rewrite) return handler.onResponseData?.(controller, chunk);
          held.push(Buffer.from(chunk));
        },
        onResponseEnd: (controller, trailers) => {
          if (rewrite) {
            let body = Buffer.concat(held).toString("utf8");
            try {
              const json = JSON.parse(body) as Record<string, unknown>;
              delete json["next_cursor"];
              exchange.lastPage = true;
              body = JSON.stringify(json);
            } catch {
              // Not JSON: passed on as Prism sent it.
            }
            handler.onResponseData?.(controller, Buffer.from(body));
          }
          return handler.onResponseEnd?.(controller, trailers);
        },
        onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
      },
    );
  };
  const agent = new Agent({ connections: 8 });
  let syncs = 0;
  const dispatcher = agent.compose(record);

  return {
    url,
    seed,
    dispatcher,
    setLabel: (next, options) => {
      label = next;
      lastPage = options?.lastPage ?? false;
      if (options?.replay) for (const key of [...occurrences.keys()]) if (key.startsWith(`${next}|`)) occurrences.delete(key);
    },
    exchanges,
    settle: async () => {
      // Prism logs requests in the order it serves them: once a marker request's last line is
      // in, so is everything before it. It goes around the recording dispatcher, and parseLog
      // leaves it out.
      const marker = `${SYNC_PATH}/${++syncs}`;
      await (await undiciRequest(`${url}${marker}`, { dispatcher: agent })).body.dump();
      await waitFor(
        child,
        () => log,
        `get ${marker}`,
        (text, from) => text.indexOf("Request terminated", from) >= 0,
      );
    },
    violations: () => {
      const fromHeaders = exchanges.flatMap((e) => e.violations);
      const seen = new Set(fromHeaders.map((v) => `${v.method} ${v.path} ${v.message}`));
      const onlyInLog = parseLog(log).violations.filter((v) => !seen.has(`${v.method} ${v.path} ${v.message}`));
      return [...fromHeaders, ...onlyInLog];
    },
    failures: () => parseLog(log).failures,
    log: () => log,
    close: async () => {
      await agent.close();
      await stopGroup(child);
    },
  };
}

async function waitForListening(child: ChildProcess, log: () => string, marker: string): Promise<void> {
  try {
    await waitFor(child, log, marker, () => true, START_TIMEOUT_MS);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
}

/** Polls the log until `marker` appears and `after(log, index after the marker)` holds. */
async function waitFor(
  child: ChildProcess,
  log: () => string,
  marker: string,
  after: (text: string, from: number) => boolean,
  timeoutMs: number = SETTLE_TIMEOUT_MS,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    const text = log();
    const at = text.indexOf(marker);
    if (at >= 0 && after(text, at + marker.length)) return;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prism exited (${child.exitCode ?? child.signalCode}) while waiting for "${marker}":\n${text.slice(-4_000)}`);
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`Prism's log did not show "${marker}" within ${timeoutMs} ms:\n${text.slice(-4_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SIGTERM to the process group, SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, "exit");
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // The group is already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function withHeader(headers: Dispatcher.DispatchOptions["headers"], name: string, value: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === "object") {
    for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>))
      if (v !== undefined) out[k.toLowerCase()] = v;
  }
  out[name] = value;
  return out;
}

/** A short stable token of a string (FNV-1a), so a seed stays readable in a report. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

interface HeaderViolation {
  location?: unknown[];
  severity?: string;
  message?: string;
}

function parseViolationHeader(raw: string | string[] | undefined, exchange: Exchange): Violation[] {
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  if (!value) return [];
  const base = { method: exchange.method, path: exchange.path, status: exchange.status, source: "header" as const, seed: exchange.seed };
  let parsed: HeaderViolation[];
  try {
    parsed = JSON.parse(value) as HeaderViolation[];
  } catch {
    // Prism cuts the header at 8 KB ("Too many violations! …"); keep it whole as one entry.
    return [{ ...base, side: value.includes('"request"') ? "request" : "response", location: "", severity: "Error", message: value }];
  }
  return parsed.map((v) => {
    const [side, ...rest] = (v.location ?? []).map(String);
    return {
      ...base,
      side: side === "response" ? "response" : "request",
      location: rest.join("."),
      severity: v.severity ?? "",
      message: v.message ?? "",
    };
  });
}

/**
 * Prism's text log, one signale line per pino record:
 *   `[6:05:07 PM] › [HTTP SERVER] get /api/v1/sessions ℹ  info      Request received`
 *   `[6:05:07 PM] ›     [VALIDATOR] ✖  error     Violation: request.query.limit Request query …`
 * Validator lines carry no request, so each is attributed to the last "Request received"
 * before it: exact while requests are sequential, a best guess under concurrency (the header
 * view is exact either way).
 */
const LINE = /^\[[^\]]*\] ›\s+\[(?<name>[A-Z ]+)\](?: (?<method>[a-z]+) (?<path>\S+))? \S+\s+(?<level>[a-z]+)\s+(?<msg>.*)$/;

export function parseLog(text: string): { violations: Violation[]; failures: PrismFailure[] } {
  const violations: Violation[] = [];
  const failures: PrismFailure[] = [];
  let method = "?";
  let path = "?";
  let refused = false;
  for (const line of text.split("\n")) {
    const m = LINE.exec(line.trimEnd());
    if (!m?.groups) continue;
    const { name, level, msg = "" } = m.groups;
    if (name === "HTTP SERVER" && msg === "Request received") {
      method = m.groups.method!.toUpperCase();
      path = m.groups.path!;
      refused = false;
    } else if (path.startsWith(SYNC_PATH)) {
    } else if (name === "HTTP SERVER" && msg.startsWith("Request terminated with error")) {
      failures.push({ method, path, message: msg });
    } else if (name === "VALIDATOR" && msg === "Request did not pass the validation rules") {
      refused = true;
    } else if (name === "VALIDATOR" && msg.startsWith("Violation: ")) {
      const [where = "", ...words] = msg.slice("Violation: ".length).split(" ");
      const [side, ...location] = where.split(".");
      violations.push({
        side: side === "response" ? "response" : "request",
        method,
        path,
        location: location.join("."),
        severity: level === "error" ? "Error" : level === "warning" ? "Warning" : "Information",
        message: words.join(" "),
        source: "log",
      });
    } else if (name === "VALIDATOR" && refused && level === "error") {
      // The mocker's own list of what made it refuse the request (no "Violation:" prefix).
      violations.push({ side: "request", method, path, location: "", severity: "Error", message: msg, source: "log" });
    }
  }
  return { violations, failures };
}
