import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { classifyErrorText } from "./classify-error.js";
import { ERROR_SIGNATURES } from "./error-signatures.js";
import { quoteErrorText } from "./redact-error-text.js";
import { DESTINATION_ERRORS } from "./tables.js";
import type { FailureMode } from "./types.js";
import { FAILURE_MODE_NAMES } from "./types.js";

interface CorpusEntry {
  text: string;
  mode: FailureMode;
  source: string;
  must_redact?: string[];
}

const corpus = JSON.parse(readFileSync(new URL("../../test/fixtures/export-errors/corpus.json", import.meta.url), "utf8")) as CorpusEntry[];
const ALL_MODES: readonly FailureMode[] = FAILURE_MODE_NAMES;

describe("error corpus (test/fixtures/export-errors/corpus.json)", () => {
  it("holds at least 60 texts and several per failure mode", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    for (const mode of ALL_MODES) expect(corpus.filter((e) => e.mode === mode).length, mode).toBeGreaterThanOrEqual(4);
  });

  it("classifies every text onto its labelled mode (accuracy per mode is 100%)", () => {
    const rows = ALL_MODES.map((mode) => {
      const entries = corpus.filter((e) => e.mode === mode);
      const misses = entries.filter((e) => classifyErrorText(e.text).mode !== mode);
      return {
        mode,
        total: entries.length,
        correct: entries.length - misses.length,
        misses: misses.map((m) => `${m.source} → ${classifyErrorText(m.text).mode}`),
      };
    });
    console.info(
      ["mode                          correct/total", ...rows.map((r) => `${r.mode.padEnd(30)}${r.correct}/${r.total}`)].join("\n"),
    );
    expect(rows.flatMap((r) => r.misses)).toEqual([]);
  });

  it("classifies by family, not by phrase: every labelled text keeps its mode inside the wrappers workers add", () => {
    const wrappers = [
      (t: string) => `temporalio.exceptions.ApplicationError: ${t}`,
      (t: string) =>
        `Traceback (most recent call last):\n  File "/app/export/worker.py", line 214, in export_partition\n    writer.flush()\n${t}`,
      (t: string) => `[2026-11-20 10:15:00,123] ERROR bulk_export.run: attempt failed: ${t}`,
    ];
    const misses: string[] = [];
    for (const entry of corpus.filter((e) => e.mode !== "unknown")) {
      for (const wrap of wrappers)
        if (classifyErrorText(wrap(entry.text)).mode !== entry.mode) misses.push(`${entry.source} (${wrap("…").slice(0, 30)})`);
    }
    expect(misses).toEqual([]);
  });

  it("keeps unrecognised texts unknown, with no match and low confidence", () => {
    for (const entry of corpus.filter((e) => e.mode === "unknown")) {
      expect(classifyErrorText(entry.text)).toEqual({ mode: "unknown", confidence: "low", matched: null });
    }
  });

  it("never lets an embedded credential or signature survive quoting", () => {
    const withSecrets = corpus.filter((e) => e.must_redact && e.must_redact.length > 0);
    expect(withSecrets.length).toBeGreaterThanOrEqual(4);
    for (const entry of withSecrets) {
      const quoted = quoteErrorText(entry.text);
      for (const secret of entry.must_redact ?? []) expect(quoted).not.toContain(secret);
      expect(quoted).toContain("[REDACTED]");
    }
  });
});

describe("classifyErrorText", () => {
  it("names the seed 001 phrase for storage errors", () => {
    const result = classifyErrorText("An error occurred (AccessDenied) when calling the PutObject operation: Access Denied");
    expect(result.mode).toBe("destination_error");
    expect(result.matched?.destinationError).toBe("Access denied");
    expect(result.matched?.pattern).toBe("s3-access-denied");
  });

  it("prefers the storage code over the Temporal wrapper around it", () => {
    const wrapped =
      "temporalio.exceptions.ActivityError: Activity task failed\n  cause: botocore.exceptions.ClientError: An error occurred " +
      "(InvalidAccessKeyId) when calling the PutObject operation";
    expect(classifyErrorText(wrapped).matched?.destinationError).toBe("Key ID you provided does not exist");
  });

  it("reads a heartbeat timeout as a lost worker, not an oversized run", () => {
    expect(classifyErrorText("Activity task timed out: activity Heartbeat timeout").mode).toBe("infrastructure_interruption");
    expect(classifyErrorText("Activity task timed out: activity StartToClose timeout").mode).toBe("run_timeout");
  });

  it("reads a workflow *task* timeout as an interruption, a workflow execution timeout as the export's limit", () => {
    expect(classifyErrorText("WorkflowTaskTimedOut: workflow task timed out").mode).toBe("infrastructure_interruption");
    expect(classifyErrorText("Workflow execution timed out").mode).toBe("workflow_timeout");
  });

  it("treats S3 SlowDown as transient throttling, not a destination misconfiguration", () => {
    expect(
      classifyErrorText("An error occurred (SlowDown) when calling the PutObject operation: Please reduce your request rate.").mode,
    ).toBe("infrastructure_interruption");
  });

  it("prefers the OOM kill over the heartbeat timeout it causes", () => {
    expect(classifyErrorText("container terminated: reason=OOMKilled; activity Heartbeat timeout").matched?.category).toBe("out_of_memory");
  });

  it("tells transient DNS failure (EAI_AGAIN) from a host that does not exist (EAI_NONAME)", () => {
    expect(classifyErrorText("[Errno -3] Temporary failure in name resolution").mode).toBe("infrastructure_interruption");
    expect(classifyErrorText("[Errno -2] Name or service not known").mode).toBe("destination_error");
  });

  it("links every destination signature to a documented phrase or to destination fields", () => {
    const phrases = new Set(DESTINATION_ERRORS.map((e) => e.phrase));
    for (const signature of ERROR_SIGNATURES.filter((s) => s.mode === "destination_error")) {
      expect(signature.fields, signature.id).toBeDefined();
      if (signature.destinationError) expect(phrases.has(signature.destinationError), signature.id).toBe(true);
    }
  });

  it("gives every signature a unique id", () => {
    const ids = ERROR_SIGNATURES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("classifies arbitrary text without throwing, and the same text the same way", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const first = classifyErrorText(text);
        expect(classifyErrorText(text)).toEqual(first);
        expect(first.matched === null).toBe(first.mode === "unknown");
      }),
    );
  });

  it("keeps a known cause recognisable inside a very long traceback", () => {
    const padding = '  File "/code/x.py", line 1, in f\n'.repeat(2_000);
    expect(classifyErrorText(`Traceback (most recent call last):\n${padding}MemoryError`).mode).toBe("terminal_processing_error");
  });
});
