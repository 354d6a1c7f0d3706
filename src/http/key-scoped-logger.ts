/**
 * A logger for the client of one caller-supplied LangSmith key. The key (and credentials that
 * client learns) are redacted here, in a set owned by this wrapper, rather than registered on
 * the shared logger family: that family's secret set only grows, and a shared server sees an
 * unbounded number of keys.
 */
import type { Logger } from "../log.js";
import { redactObject, redactSecrets } from "../redact.js";

export function keyScopedLogger(base: Logger, secrets: Iterable<string>): Logger {
  const own = new Set([...secrets].filter(Boolean));
  const scrub = (message: string, fields?: Record<string, unknown>) =>
    [redactSecrets(message, own), fields && (redactObject(fields, own) as Record<string, unknown>)] as const;
  return {
    debug: (m, f) => base.debug(...scrub(m, f)),
    info: (m, f) => base.info(...scrub(m, f)),
    warn: (m, f) => base.warn(...scrub(m, f)),
    error: (m, f) => base.error(...scrub(m, f)),
    child: (name) => keyScopedLogger(base.child(name), own),
    setLevel: (level) => base.setLevel(level),
    get level() {
      return base.level;
    },
    addSecret: (secret) => {
      if (secret) own.add(secret);
    },
    onLog: (listener) => base.onLog(listener),
  };
}
