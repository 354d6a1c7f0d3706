import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandRunTable, runTableLines, tabulateRuns } from "./run-table.js";
import type { RunView } from "./run-fields.js";

const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
const uuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join("-"));
/** Times as shapeRun writes them, on a few dates so some share one and some do not. */
const time = fc
  .tuple(
    fc.constantFrom("2026-11-29", "2026-11-30", "2026-12-01"),
    fc.integer({ min: 0, max: 86_399 }),
    fc.constantFrom("000", "123", "557712", "100200"),
  )
  .map(([date, s, fraction]) => `${date}T${new Date(s * 1000).toISOString().slice(11, 19)}.${fraction}Z`);
const payload = fc.oneof(
  fc.constantFrom(
    { messages: [{ role: "system", content: "You are a friendly support agent for Acme Cloud." }] },
    { input: "How do I export my invoices as CSV?", chat: [] },
  ),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { noNullPrototype: true }),
);

/** Runs as shapeRun gives them: no null or empty field; a few traces and payloads shared. */
const runs = fc.array(uuid, { minLength: 1, maxLength: 3 }).chain((traces) =>
  fc.uniqueArray(
    fc.record(
      {
        id: uuid,
        name: fc.constantFrom("ChatAnthropic", "lookup|customer", "AgentExecutor"),
        status: fc.constantFrom("success", "error", "pending"),
        start_time: time,
        end_time: time,
        latency_seconds: fc.double({ min: 0, max: 100, noNaN: true }),
        total_cost: fc.constantFrom(0.018063, 0.1 + 0.2, 0),
        is_root: fc.boolean(),
        trace_id: fc.constantFrom(...traces),
        parent_run_ids: fc.array(fc.constantFrom(...traces), { minLength: 1, maxLength: 3 }),
        tags: fc.array(fc.constantFrom("production", "beta"), { minLength: 1, maxLength: 2 }),
        error: fc.constantFrom("anthropic.APITimeoutError: Request timed out.", "line one\nline two | with a bar"),
        inputs: payload,
        outputs: payload,
      },
      { requiredKeys: ["id"] },
    ),
    { selector: (run) => run.id, minLength: 1, maxLength: 30 },
  ),
);

/** What a run holds once empties are left out (as shapeRun and the table both do). */
const withoutEmpty = (run: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(run).filter(
      ([, v]) =>
        !(
          v === "" ||
          (Array.isArray(v) && v.length === 0) ||
          (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
        ),
    ),
  );

describe("run table", () => {
  it("gives back every run exactly, through JSON, however the page repeats itself", () => {
    fc.assert(
      fc.property(runs, (page) => {
        const table = JSON.parse(JSON.stringify(tabulateRuns(page as RunView[])));
        expect(expandRunTable(table)).toEqual(page.map(withoutEmpty));
      }),
    );
  });

  it("writes one text row per run, starting with its id, under a header of the columns in the table", () => {
    fc.assert(
      fc.property(runs, (page) => {
        const table = tabulateRuns(page as RunView[]);
        const lines = runTableLines(table);
        const header = lines.findIndex((line) => line.startsWith("id"));
        const rows = lines.slice(header + 1).filter((line) => !line.startsWith("  "));
        expect(rows.map((row) => row.split("|")[0]!.replace(/^@\d+=/, ""))).toEqual(page.map((run) => run.id));
      }),
    );
  });

  it("says a shared trace id, date and project once", () => {
    const trace = "01a22e25-6485-7bae-9ab7-956f4f357a00";
    const other = "01a22e24-c5eb-79c0-a560-d388f1f78216";
    const project = "5f881175-49c1-444f-9a18-0242fd96ddfe";
    const page: RunView[] = [
      { id: "01a22e25-7185-7227-b709-dffc3f7e8c5e", start_time: "2026-11-30T20:28:55.557712Z", trace_id: trace, project_id: project },
      { id: "01a22e25-7183-7c3b-81c3-1f2627797ed9", start_time: "2026-11-30T20:28:55.555711Z", trace_id: trace, project_id: project },
      { id: trace, start_time: "2026-11-30T20:28:52.229704Z", trace_id: trace, project_id: project },
      { id: "01a22e24-ce55-7330-a1b4-8079ed151867", start_time: "2026-11-29T23:59:59.000Z", trace_id: other, project_id: project },
    ];
    expect(tabulateRuns(page)).toEqual({
      columns: ["id", "start_time", "trace_id"],
      rows: [
        ["01a22e25-7185-7227-b709-dffc3f7e8c5e", "202855.557712", 1],
        ["01a22e25-7183-7c3b-81c3-1f2627797ed9", "202855.555711", 1],
        [trace, "202852.229704", 1],
        ["01a22e24-ce55-7330-a1b4-8079ed151867", "2026-11-29T23:59:59.000Z", 2],
      ],
      same: { project_id: project },
      date: "2026-11-30",
      refs: { "1": trace, "2": other },
      ref_columns: ["trace_id"],
      legend: 'a time without a date is hhmmss.ffffff UTC on 2026-11-30; a number n in trace_id stands for refs["n"].',
    });
    expect(runTableLines(tabulateRuns(page))).toEqual([
      "Times are UTC; one without a date is on 2026-11-30, written hhmmss.ffffff.",
      `Same for every run: project_id: ${project}`,
      "@n in trace_id stands for the value given here, or for the id of the row starting @n=:",
      `@2=${other}`,
      "id|start_time|trace_id",
      "01a22e25-7185-7227-b709-dffc3f7e8c5e|202855.557712|@1",
      "01a22e25-7183-7c3b-81c3-1f2627797ed9|202855.555711|@1",
      `@1=${trace}|202852.229704|@1`,
      "01a22e24-ce55-7330-a1b4-8079ed151867|2026-11-29T23:59:59.000Z|@2",
    ]);
  });

  it("puts a value ending in a backslash on its own line, so the next separator is not read as escaped", () => {
    const page: RunView[] = [
      { id: "01a22e25-7185-7227-b709-dffc3f7e8c5e", name: "C:\\runs\\", status: "success" },
      { id: "01a22e25-7183-7c3b-81c3-1f2627797ed9", name: "plain", status: "error" },
    ];
    // A column with a value that cannot be a cell is written as detail lines for every run.
    expect(runTableLines(tabulateRuns(page)).slice(-5)).toEqual([
      "id|status",
      "01a22e25-7185-7227-b709-dffc3f7e8c5e|success",
      "  name: C:\\runs\\",
      "01a22e25-7183-7c3b-81c3-1f2627797ed9|error",
      "  name: plain",
    ]);
  });
});
