/**
 * Trace waterfall (get_trace): every run as a bar on the trace's time axis, indented under its
 * parent, coloured by run type, red when it errored; tokens and cost per run; the critical
 * path outlined. A click on a run opens it with get_run (through the host); when the result
 * was cut (max_nodes or the token budget), "Show more" calls get_trace again for more runs.
 */
import { startView, type ViewContext } from "../shared/app.js";
import { clear, css, facts, h, present } from "../shared/dom.js";
import { duration, num, str, usd, utc } from "../shared/format.js";
import { readRunTable, type RunTableWire } from "../shared/run-table.js";
import { layoutWaterfall, ticks, type Bar, type TraceRun } from "./model.js";

const RUN_TYPES = ["llm", "chain", "tool", "retriever", "embedding", "prompt", "parser"];
/** get_trace's max_nodes ceiling (its input schema). */
const MAX_NODES = 5_000;

const typeClass = (type: string | undefined): string => `t-${type && RUN_TYPES.includes(type) ? type : "other"}`;
const msText = (ms: number): string => duration(ms / 1000);

function render(structured: Record<string, unknown>, ctx: ViewContext): void {
  const runs = readRunTable(structured["nodes"] as RunTableWire) as unknown as TraceRun[];
  const layout = layoutWaterfall(runs);
  const traceId = str(structured["trace_id"]) ?? runs[0]?.id ?? "";
  const runCount = Number(structured["run_count"] ?? runs.length);
  const errors = Number(structured["error_count"] ?? 0);
  const tokens = structured["total_tokens"];
  const cost = structured["total_cost"];
  const pathNames = layout.criticalPath.map((id) => runs.find((run) => run.id === id)?.name ?? id);

  const detail = h("section", { class: "panel detail", hidden: true, "aria-label": "Run details" });
  const rows = h("div", { class: "rows", role: "list" });
  let selected: HTMLElement | undefined;

  const openRun = async (bar: Bar, row: HTMLElement) => {
    selected?.classList.remove("selected");
    row.classList.add("selected");
    selected = row;
    detail.hidden = false;
    clear(detail);
    detail.append(h("h2", {}, bar.run.name ?? "(unnamed)"), h("p", { class: "muted" }, "Loading with get_run…"));
    const outcome = await ctx.callTool("get_run", { run_id: bar.run.id });
    clear(detail);
    detail.append(h("h2", {}, bar.run.name ?? "(unnamed)", " ", h("span", { class: "mono muted" }, bar.run.id)));
    if (!outcome.ok) {
      detail.append(h("div", { class: "error-box" }, outcome.text));
      return;
    }
    detail.append(runDetail(outcome.structured));
  };

  for (const bar of layout.bars) rows.append(runRow(bar, layout.spanMs, openRun));

  const shown = runs.length;
  const more =
    structured["truncated"] === true && shown < runCount && shown < MAX_NODES
      ? h(
          "button",
          {
            class: "more",
            onclick: async (event: Event) => {
              const button = event.currentTarget as HTMLButtonElement;
              button.disabled = true;
              button.textContent = "Loading more runs…";
              const outcome = await ctx.callTool("get_trace", {
                trace_id: traceId,
                max_nodes: Math.min(MAX_NODES, Math.max(shown * 2, 300)),
              });
              if (outcome.ok) {
                clear(ctx.root);
                render(outcome.structured, ctx);
              } else {
                button.disabled = false;
                button.textContent = "Show more runs";
                button.after(h("div", { class: "error-box" }, outcome.text));
              }
            },
          },
          `Show more runs (${num(shown)} of ${num(runCount)} shown)`,
        )
      : null;

  ctx.root.append(
    ...present(
      h("h1", {}, "Trace ", h("span", { class: "mono" }, traceId)),
      h(
        "div",
        { class: "summary" },
        h("span", {}, h("b", {}, num(runCount)), " runs"),
        h("span", { class: errors ? "bad" : "" }, h("b", {}, num(errors)), " errored"),
        typeof tokens === "number" ? h("span", {}, h("b", {}, num(tokens)), " tokens") : null,
        typeof cost === "number" ? h("span", {}, h("b", {}, usd(cost)), " cost") : null,
        h("span", {}, "span ", h("b", {}, msText(layout.spanMs))),
        h("span", { class: "crit-note", title: pathNames.join(" → ") }, "critical path ", h("b", {}, pathNames.join(" → "))),
      ),
      legend(),
      h("div", { class: "waterfall" }, axis(layout.spanMs), rows),
      more,
      detail,
      notes(structured["notes"]),
    ),
  );
}

function legend(): HTMLElement {
  return h(
    "div",
    { class: "legend" },
    ...RUN_TYPES.map((type) => h("span", {}, h("i", { class: typeClass(type) }), type)),
    h("span", {}, h("i", { class: "err-swatch" }), "error"),
    h("span", {}, h("i", { class: "crit-swatch" }), "critical path"),
  );
}

function axis(spanMs: number): HTMLElement {
  const track = h("div", { class: "axis-track" });
  for (const t of ticks(spanMs)) track.append(css(h("span", { class: "tick" }, msText(t)), { left: `${(100 * t) / spanMs}%` }));
  return h("div", { class: "row axis", "aria-hidden": "true" }, h("div", { class: "label" }), track);
}

function runRow(bar: Bar, spanMs: number, open: (bar: Bar, row: HTMLElement) => void): HTMLElement {
  const { run } = bar;
  const meta = [
    run.run_type,
    bar.durationMs !== null ? msText(bar.durationMs) : run.status === "error" ? "" : "running",
    typeof run.total_tokens === "number" ? `${num(run.total_tokens)} tok` : "",
    typeof run.total_cost === "number" ? usd(run.total_cost) : "",
  ].filter(Boolean);
  const left = bar.offsetMs === null ? 0 : (100 * bar.offsetMs) / spanMs;
  const width = bar.durationMs === null ? 100 - left : (100 * bar.durationMs) / spanMs;
  const barEl = css(
    h("div", {
      class: [
        "bar",
        typeClass(run.run_type),
        bar.errored ? "errored" : "",
        bar.critical ? "critical" : "",
        bar.durationMs === null ? "open" : "",
      ]
        .filter(Boolean)
        .join(" "),
      title: `${run.name ?? "(unnamed)"} · ${meta.join(" · ")}${run.error_preview ? `\nerror: ${run.error_preview}` : ""}`,
    }),
    { left: `${left}%`, width: `max(2px, ${width}%)` },
  );
  const row = h(
    "div",
    {
      class: `row run${bar.critical ? " on-path" : ""}${bar.errored ? " has-error" : ""}`,
      role: "listitem",
      tabindex: 0,
      "data-run-id": run.id,
      "data-depth": run.depth,
    },
    css(
      h(
        "div",
        { class: "label" },
        h("span", { class: "name" }, run.name ?? "(unnamed)"),
        h("span", { class: "meta" }, meta.join(" · ")),
        run.error_preview ? h("span", { class: "err-text" }, run.error_preview) : null,
      ),
      { "padding-left": `${Math.min(run.depth, 12) * 12 + 4}px` },
    ),
    h("div", { class: "track" }, barEl),
  );
  row.addEventListener("click", () => open(bar, row));
  row.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(bar, row);
    }
  });
  return row;
}

/** get_run's result: the run's facts, error and payload previews. */
function runDetail(structured: Record<string, unknown>): HTMLElement {
  const run = (structured["run"] ?? {}) as Record<string, unknown>;
  const box = h("div", {});
  const latency = run["latency_seconds"];
  box.append(
    facts([
      ["type", str(run["run_type"])],
      ["status", str(run["status"])],
      ["started", utc(str(run["start_time"]))],
      ["ended", utc(str(run["end_time"]))],
      ["latency", typeof latency === "number" ? duration(latency) : undefined],
      ["tokens", typeof run["total_tokens"] === "number" ? num(run["total_tokens"] as number) : undefined],
      ["cost", typeof run["total_cost"] === "number" ? usd(run["total_cost"] as number) : undefined],
      ["trace", str(run["trace_id"])],
    ]),
  );
  if (run["error"]) box.append(h("div", { class: "error-box" }, String(run["error"])));
  for (const field of ["inputs", "outputs", "metadata"]) {
    if (run[field] === undefined) continue;
    box.append(h("h2", {}, field), h("pre", { class: "mono" }, JSON.stringify(run[field], null, 2)));
  }
  return box;
}

function notes(value: unknown): HTMLElement | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return h("ul", { class: "notes" }, ...value.map((note) => h("li", {}, String(note))));
}

startView({ name: "trace-waterfall", render });
