/**
 * A tiny stderr logger. stdout belongs to the MCP stdio transport, so nothing here may touch
 * it. Every line and every forwarded event is redacted with the secrets registered on the
 * logger family (a child shares its parent's secrets, level and listeners), so registering
 * the API key once protects every module's output.
 */
import { redactObject, redactSecrets } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type EventLevel = Exclude<LogLevel, "silent">;

/** Severity order; an event is emitted when its rank is at least the logger's level rank. */
const LEVEL_RANK: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
});

export interface LogEvent {
  level: EventLevel;
  /** The logger's name, e.g. `client` or `server.tools`; empty for the root logger. */
  logger: string;
  message: string;
  fields: Record<string, unknown>;
}

export type LogListener = (event: LogEvent) => void;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger named `<parent>.<name>` sharing this family's level, secrets and listeners. */
  child(name: string): Logger;
  setLevel(level: LogLevel): void;
  readonly level: LogLevel;
  /** Registers a secret to redact from every line and event of this logger family. */
  addSecret(secret: string): void;
  /** Receives every emitted (already redacted) event; returns an unsubscribe function. */
  onLog(listener: LogListener): () => void;
}

export interface LoggerOptions {
  level?: LogLevel;
  secrets?: Iterable<string>;
  /** Where formatted lines go; defaults to process.stderr. */
  sink?: (line: string) => void;
  name?: string;
  /** Clock seam for tests. */
  now?: () => Date;
}

/** State shared by a logger and all its children. */
interface LoggerFamily {
  level: LogLevel;
  readonly secrets: Set<string>;
  readonly listeners: Set<LogListener>;
  readonly sink: (line: string) => void;
  readonly now: () => Date;
}

const defaultSink = (line: string): void => {
  process.stderr.write(line);
};

/** Scalars print bare unless they would be ambiguous in `key=value` form; the rest as JSON. */
function formatValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === "string") return /^[^\s="']+$/.test(value) ? value : JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function formatLine(time: Date, level: EventLevel, logger: string, message: string, fields: Record<string, unknown>): string {
  const parts = [time.toISOString(), level.toUpperCase().padEnd(5)];
  if (logger) parts.push(`[${logger}]`);
  parts.push(message);
  for (const [key, value] of Object.entries(fields)) parts.push(`${key}=${formatValue(value)}`);
  return `${parts.join(" ")}\n`;
}

function makeLogger(family: LoggerFamily, name: string): Logger {
  const emit = (level: EventLevel, message: string, fields: Record<string, unknown> = {}): void => {
    if (LEVEL_RANK[level] < LEVEL_RANK[family.level]) return;
    const safeMessage = redactSecrets(message, family.secrets);
    const safeFields = redactObject(fields, family.secrets) as Record<string, unknown>;
    const line = redactSecrets(formatLine(family.now(), level, name, safeMessage, safeFields), family.secrets);
    try {
      family.sink(line);
    } catch {
      // A broken stderr must not take the server down with it.
    }
    for (const listener of family.listeners) {
      try {
        listener({ level, logger: name, message: safeMessage, fields: safeFields });
      } catch {
        // A failing listener (e.g. a closed MCP transport) must not break logging.
      }
    }
  };

  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (childName) => makeLogger(family, name ? `${name}.${childName}` : childName),
    setLevel: (level) => {
      family.level = level;
    },
    get level() {
      return family.level;
    },
    addSecret: (secret) => {
      if (secret) family.secrets.add(secret);
    },
    onLog: (listener) => {
      family.listeners.add(listener);
      return () => {
        family.listeners.delete(listener);
      };
    },
  };
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const family: LoggerFamily = {
    level: opts.level ?? "info",
    secrets: new Set([...(opts.secrets ?? [])].filter(Boolean)),
    listeners: new Set(),
    sink: opts.sink ?? defaultSink,
    now: opts.now ?? (() => new Date()),
  };
  return makeLogger(family, opts.name ?? "");
}

/** A logger that drops everything: the default for library code given no logger. */
export const silentLogger = (): Logger => createLogger({ level: "silent", sink: () => {} });
