/**
 * Run statistics (run_stats) as small charts: headline figures, latency percentiles (p50 and
 * p99, average marked), error rate and cost, for all runs and per group; the top runs when
 * asked for. Plain SVG bars on one scale per chart; no charting library.
 */
import { startView, type ViewContext } from "../shared/app.js";
import { h, present, s } from "../shared/dom.js";
import { duration, num, numOrUndef, percent, str, usd, utc } from "../shared/format.js";

type Figures = Record<string, unknown>;

interface Row {
  label: string;
  /** Bars drawn from 0, widest first, each with a class. */
  bars: { value: number; cls: string }[];
  /** A tick drawn on top (the average latency). */
  mark?: number;
  text: string;
}

function render(structured: Record<string, unknown>, ctx: ViewContext): void {
  const totals = (structured["totals"] ?? {}) as Figures;
  const groups = Array.isArray(structured["groups"]) ? (structured["groups"] as Figures[]) : [];
  const projects = Array.isArray(structured["projects"]) ? (structured["projects"] as { name?: string }[]) : [];
  const window = (structured["window"] ?? {}) as Record<string, unknown>;
  const counted = str(structured["counted"]) ?? "runs";
  const all: [string, Figures][] = [["all", totals], ...groups.map((g): [string, Figures] => [String(g["group"] ?? "?"), g])];

  ctx.root.append(
    ...present(
      h("h1", {}, "Run statistics ", h("span", { class: "muted" }, projects.map((p) => p.name).join(", "))),
      h(
        "div",
        { class: "summary" },
        h("span", {}, utc(str(window["start_time"])), " → ", utc(str(window["end_time"]))),
        h("span", {}, `counting ${counted}`),
      ),
      tiles(totals, counted),
      chart(
        "Latency",
        "latency",
        all.flatMap(([label, f]) => {
          const p50 = numOrUndef(f["latency_p50_s"]);
          const p99 = numOrUndef(f["latency_p99_s"]);
          if (p50 === undefined && p99 === undefined) return [];
          const avg = numOrUndef(f["latency_avg_s"]);
          return [
            {
              label,
              bars: [
                { value: p99 ?? 0, cls: "p99" },
                { value: p50 ?? 0, cls: "p50" },
              ],
              ...(avg !== undefined && { mark: avg }),
              text: `p50 ${p50 === undefined ? "?" : duration(p50)} · p99 ${p99 === undefined ? "?" : duration(p99)}`,
            },
          ];
        }),
        h("span", {}, h("i", { class: "p50" }), "p50"),
        h("span", {}, h("i", { class: "p99" }), "p99"),
        h("span", {}, h("i", { class: "avg" }), "average"),
      ),
      chart(
        "Error rate",
        "errors",
        all.flatMap(([label, f]) => {
          const rate = numOrUndef(f["error_rate"]);
          if (rate === undefined) return [];
          return [
            {
              label,
              bars: [{ value: rate, cls: "err" }],
              text: `${percent(rate)} · ${num(numOrUndef(f["error_count"]) ?? 0)} of ${num(numOrUndef(f["run_count"]) ?? 0)}`,
            },
          ];
        }),
      ),
      chart(
        "Cost",
        "cost",
        all.flatMap(([label, f]) => {
          const cost = numOrUndef(f["total_cost_usd"]);
          if (cost === undefined) return [];
          const tokens = numOrUndef(f["total_tokens"]);
          return [
            { label, bars: [{ value: cost, cls: "cost" }], text: `${usd(cost)}${tokens === undefined ? "" : ` · ${num(tokens)} tokens`}` },
          ];
        }),
      ),
      topRuns(structured["top"]),
      notes(structured["notes"]),
    ),
  );
}

function tiles(totals: Figures, counted: string): HTMLElement {
  const tile = (label: string, value: string | undefined, cls = "") =>
    value === undefined
      ? null
      : h("div", { class: `tile ${cls}` }, h("div", { class: "tile-value" }, value), h("div", { class: "tile-label" }, label));
  const rate = numOrUndef(totals["error_rate"]);
  const p50 = numOrUndef(totals["latency_p50_s"]);
  const p99 = numOrUndef(totals["latency_p99_s"]);
  const cost = numOrUndef(totals["total_cost_usd"]);
  const tokens = numOrUndef(totals["total_tokens"]);
  return h(
    "div",
    { class: "tiles" },
    ...present(
      tile(counted, num(numOrUndef(totals["run_count"]) ?? 0)),
      tile("error rate", rate === undefined ? undefined : percent(rate), rate ? "bad" : ""),
      tile("p50 latency", p50 === undefined ? undefined : duration(p50)),
      tile("p99 latency", p99 === undefined ? undefined : duration(p99)),
      tile("cost", cost === undefined ? undefined : usd(cost)),
      tile("tokens", tokens === undefined ? undefined : num(tokens)),
    ),
  );
}

/** A chart of rows on one scale: label, bars, figure. Nothing when no row has a figure. */
function chart(title: string, name: string, rows: Row[], ...legend: HTMLElement[]): HTMLElement | null {
  if (rows.length === 0) return null;
  const max = Math.max(...rows.flatMap((row) => [...row.bars.map((bar) => bar.value), row.mark ?? 0]), Number.MIN_VALUE);
  const box = h("section", { class: `chart chart-${name}`, "data-chart": name }, h("h2", {}, title));
  if (legend.length) box.append(h("div", { class: "legend" }, ...legend));
  for (const row of rows) {
    const svg = s("svg", {
      class: "bars",
      viewBox: "0 0 100 10",
      preserveAspectRatio: "none",
      role: "img",
      "aria-label": `${row.label}: ${row.text}`,
    });
    for (const bar of row.bars) svg.append(s("rect", { x: 0, y: 1, height: 8, width: (100 * bar.value) / max, class: bar.cls, rx: 1 }));
    if (row.mark !== undefined)
      svg.append(s("rect", { x: Math.max(0, (100 * row.mark) / max - 0.4), y: 0, width: 0.8, height: 10, class: "avg" }));
    box.append(
      h(
        "div",
        { class: `chart-row${row.label === "all" ? " total" : ""}`, "data-group": row.label },
        h("span", { class: "chart-label", title: row.label }, row.label),
        svg,
        h("span", { class: "chart-value" }, row.text),
      ),
    );
  }
  return box;
}

function topRuns(value: unknown): HTMLElement | null {
  const top = value as { by?: string; runs?: Record<string, unknown>[] } | undefined;
  if (!top?.runs?.length) return null;
  const field = top.by === "latency" ? "latency_s" : top.by === "total_cost" ? "total_cost_usd" : "total_tokens";
  const show = (v: number) => (top.by === "latency" ? duration(v) : top.by === "total_cost" ? usd(v) : num(v));
  return chart(
    `Top runs by ${top.by}`,
    "top",
    top.runs.map((run) => {
      const v = numOrUndef(run[field]) ?? 0;
      return {
        label: String(run["name"] ?? run["id"]),
        bars: [{ value: v, cls: run["status"] === "error" ? "err" : "top" }],
        text: show(v),
      };
    }),
  );
}

function notes(value: unknown): HTMLElement | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return h("ul", { class: "notes" }, ...value.map((note) => h("li", {}, String(note))));
}

startView({ name: "run-stats", render });
