import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, type LogEvent } from "./log.js";

const NOW = new Date("2026-11-25T17:00:00.000Z");

function capture(opts: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createLogger({ now: () => NOW, sink: (l) => lines.push(l), ...opts });
  return { logger, lines };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createLogger", () => {
  it("writes one line per event: time, padded level, logger name, message, key=value fields", () => {
    const { logger, lines } = capture({ name: "client" });
    logger.info("request done", { status: 200, path: "/api/v1/sessions", ok: true, note: "two words", body: { a: [1] } });
    expect(lines).toEqual([
      '2026-11-25T17:00:00.000Z INFO  [client] request done status=200 path=/api/v1/sessions ok=true note="two words" body={"a":[1]}\n',
    ]);
  });

  it("filters by level, and setLevel changes the whole family", () => {
    const { logger, lines } = capture({ level: "warn" });
    const child = logger.child("tools");
    child.info("hidden");
    child.warn("shown");
    logger.setLevel("debug");
    child.debug("now shown");
    logger.setLevel("silent");
    child.error("hidden too");
    expect(lines.map((l) => l.slice(25))).toEqual(["WARN  [tools] shown\n", "DEBUG [tools] now shown\n"]);
  });

  it("names children after their parent", () => {
    const { logger, lines } = capture({ name: "server" });
    logger.child("langsmith").error("x");
    expect(lines[0]).toContain("ERROR [server.langsmith] x");
  });

  it("redacts secrets registered on the parent from children's lines and events", () => {
    const secret = "lsv2_pt_supersecretkey_123";
    const { logger, lines } = capture();
    const child = logger.child("client");
    const events: LogEvent[] = [];
    logger.onLog((e) => events.push(e));
    logger.addSecret("custom-secret-9876");
    child.warn(`key ${secret} and custom-secret-9876`, { headers: { "x-api-key": "raw" }, echo: "custom-secret-9876" });
    const text = lines.join("") + JSON.stringify(events);
    expect(text).not.toContain(secret);
    expect(text).not.toContain("custom-secret-9876");
    expect(text).not.toContain('"raw"');
    expect(events).toEqual([
      {
        level: "warn",
        logger: "client",
        message: "key [REDACTED] and [REDACTED]",
        fields: { headers: { "x-api-key": "[REDACTED]" }, echo: "[REDACTED]" },
      },
    ]);
  });

  it("stops forwarding events after unsubscribe and survives a throwing listener", () => {
    const { logger, lines } = capture();
    const seen: string[] = [];
    logger.onLog(() => {
      throw new Error("transport closed");
    });
    const off = logger.onLog((e) => seen.push(e.message));
    logger.info("one");
    off();
    logger.info("two");
    expect(seen).toEqual(["one"]);
    expect(lines).toHaveLength(2);
  });

  it("defaults to stderr and never writes to stdout", () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    createLogger({}).info("hello");
    expect(err).toHaveBeenCalledTimes(1);
    expect(out).not.toHaveBeenCalled();
  });
});
