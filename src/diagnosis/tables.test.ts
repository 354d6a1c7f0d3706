import { describe, expect, it } from "vitest";
import { preRetryCheck } from "./pre-retry-check.js";
import { DEFAULT_LIMITS, DESTINATION_ERRORS, FAILURE_MODES, LIMITS, describeDocumentedLimit, statusKey } from "./tables.js";
import { DAY_MS, HOUR_MS, chunkInterval, splitAtUtcDays, subtractIntervals } from "./time-ranges.js";

describe("vendor tables", () => {
  it("keeps one failure-table row per documented mode, each naming its public source, and never claims an unknown text is retried", () => {
    expect(FAILURE_MODES.map((e) => e.mode)).toEqual([
      "infrastructure_interruption",
      "run_timeout",
      "workflow_timeout",
      "destination_error",
      "destination_deleted",
      "terminal_processing_error",
      "unknown",
    ]);
    for (const entry of FAILURE_MODES.filter((e) => e.mode !== "unknown")) expect(entry.source).toMatch(/^LangSmith docs "Bulk export/);
    for (const entry of FAILURE_MODES)
      expect(`${entry.source} ${entry.remediation.join(" ")} ${entry.retryNote}`).not.toMatch(/seed \d{3}|contract §/);
    expect(FAILURE_MODES.filter((e) => !e.retriedAutomatically).map((e) => e.mode)).toEqual([
      "workflow_timeout",
      "destination_error",
      "destination_deleted",
      "unknown",
    ]);
  });

  it("lists seed 001's common errors plus the contract's InvalidBucketName", () => {
    expect(DESTINATION_ERRORS.map((e) => e.phrase)).toEqual([
      "Access denied",
      "Bucket is not valid",
      "Key ID you provided does not exist",
      "Invalid endpoint",
      "InvalidBucketName",
    ]);
  });

  it("decides the contract's limits and keeps both values where the seeds contradict", () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxRetries: 20,
      retryDelaySeconds: 30,
      runTimeoutHours: 4,
      workflowTimeoutHours: 72,
      maxConcurrentRunsPerExport: 45,
      maxConcurrentExportsPerWorkspace: 15,
    });
    const contradicted = LIMITS.filter((l) => l.documented.length > 1).map((l) => [l.key, l.documented.map((d) => d.value)]);
    expect(contradicted).toEqual([
      ["workflowTimeoutHours", [72, 48]],
      ["maxConcurrentRunsPerExport", [45, 5]],
      ["maxConcurrentExportsPerWorkspace", [15, 3]],
    ]);
    expect(describeDocumentedLimit("maxConcurrentExportsPerWorkspace", 3)).toMatch(
      /15 exports per .*; 3 exports per the troubleshooting steps .* in force here: 3 exports\./,
    );
  });

  it("compares statuses case-insensitively", () => {
    expect(["Running", "RUNNING", "running"].map(statusKey)).toEqual(["running", "running", "running"]);
    expect(["TimedOut", "TIMEDOUT", "timed_out"].map(statusKey)).toEqual(["timedout", "timedout", "timedout"]);
    expect(statusKey("Paused")).toBeNull();
  });
});

describe("time ranges", () => {
  const t0 = Date.parse("2026-11-18T06:00:00Z");

  it("cuts at UTC midnights, as LangSmith partitions exports", () => {
    expect(splitAtUtcDays([{ start: t0, end: t0 + DAY_MS }]).map((i) => (i.end - i.start) / HOUR_MS)).toEqual([18, 6]);
  });

  it("subtracts completed partitions, leaving the gaps", () => {
    const range = { start: 0, end: 4 * DAY_MS };
    expect(
      subtractIntervals(range, [
        { start: DAY_MS, end: 2 * DAY_MS },
        { start: 3 * DAY_MS, end: 4 * DAY_MS },
      ]),
    ).toEqual([
      { start: 0, end: DAY_MS },
      { start: 2 * DAY_MS, end: 3 * DAY_MS },
    ]);
  });

  it("chunks with a shorter last piece ending exactly at the end", () => {
    expect(chunkInterval({ start: 0, end: 10 * HOUR_MS }, 4 * HOUR_MS).map((i) => i.end / HOUR_MS)).toEqual([4, 8, 10]);
  });
});

describe("preRetryCheck", () => {
  it("writes where LangSmith writes: with include_bucket_in_prefix (the default) the key starts with the bucket again", () => {
    const cmd = preRetryCheck({
      id: "d",
      display_name: "x",
      destination_type: "s3",
      config: { bucket_name: "acme", prefix: "/ls/exports/", region: "eu-west-1" },
      credentials_keys: ["access_key_id", "secret_access_key", "session_token"],
    });
    expect(cmd).toContain("aws s3 cp ./test.txt s3://acme/acme/ls/exports/tmp/test.txt --region eu-west-1");
    const virtualHosted = preRetryCheck({
      id: "d",
      display_name: "x",
      config: { bucket_name: "acme", prefix: "ls", region: "eu-west-1", include_bucket_in_prefix: false },
    });
    expect(virtualHosted).toContain("s3://acme/ls/tmp/test.txt --region eu-west-1");
    expect(cmd).toContain("AWS_SESSION_TOKEN=<its session_token>");
  });

  it("adds the endpoint for S3-compatible stores and falls back to the template without a destination", () => {
    const minio = preRetryCheck({
      id: "d",
      display_name: "x",
      destination_type: "s3",
      config: { bucket_name: "b", endpoint_url: "https://play.min.io" },
    });
    expect(minio).toMatch(/s3:\/\/b\/b\/tmp\/test\.txt --endpoint-url https:\/\/play\.min\.io$/);
    expect(preRetryCheck(null)).toContain("s3://<bucket>/<bucket>/<prefix>/tmp/test.txt [--endpoint-url <endpoint_url>] --region <region>");
  });
});
