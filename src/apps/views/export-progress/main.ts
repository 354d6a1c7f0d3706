/**
 * Export progress (export_status): one cell per day partition coloured by status with rows
 * written and retries, the elapsed time against the workflow timeout, and, when the export
 * failed or timed out, diagnose_export's failure mode and retry plan (called through the
 * host). While the export runs the view calls export_status again every REFRESH_MS (and on
 * "Refresh"), asking for every partition.
 */
import { startView, type ViewContext } from "../shared/app.js";
import { clear, facts, h, present, s } from "../shared/dom.js";
import { day, duration, num, percent, str, utc } from "../shared/format.js";
import { partitionCells, statusKeyOf, TERMINAL, timeoutClock, type PartitionCell } from "./model.js";

/** How often an open view of a running export asks again. */
const REFRESH_MS = 15_000;
/** export_status lists at most this many runs (its runs_limit maximum). */
const MAX_RUNS = 500;

let timer: ReturnType<typeof setTimeout> | undefined;
/** Whether the view already asked for every partition (the first result may list only some). */
let askedForAll = false;
/** The diagnosis already drawn, per export, so a refresh does not ask again. */
const diagnoses = new Map<string, HTMLElement>();

function render(structured: Record<string, unknown>, ctx: ViewContext): void {
  if (timer) clearTimeout(timer);
  const exp = (structured["export"] ?? {}) as Record<string, unknown>;
  const progress = (structured["progress"] ?? {}) as Record<string, unknown>;
  const id = str(exp["id"]) ?? "";
  const status = str(exp["status"]) ?? "unknown";
  const key = statusKeyOf(status);
  const cells = partitionCells(structured["runs"]);
  const total = Number(progress["runs_total"] ?? cells.length);
  const matching = Number(structured["runs_matching"] ?? total);
  const done = Number(progress["percent_complete"] ?? 0);

  const refresh = async (button?: HTMLButtonElement) => {
    askedForAll = true;
    if (button) {
      button.disabled = true;
      button.textContent = "Refreshing…";
    }
    const outcome = await ctx.callTool("export_status", { export_id: id, runs_limit: Math.min(MAX_RUNS, Math.max(total, 30)) });
    if (outcome.ok) {
      clear(ctx.root);
      render(outcome.structured, ctx);
    } else if (button) {
      button.disabled = false;
      button.textContent = "Refresh";
      button.after(h("div", { class: "error-box" }, outcome.text));
    }
  };

  const running = !TERMINAL.has(key);
  const refreshButton = h(
    "button",
    { class: "refresh", onclick: (event: Event) => void refresh(event.currentTarget as HTMLButtonElement) },
    "Refresh",
  );
  ctx.root.append(
    ...present(
      h(
        "h1",
        {},
        "Export ",
        h("span", { class: "mono" }, id),
        " ",
        h("span", { class: `badge status-badge s-${key}`, "data-status": key }, status),
      ),
      h(
        "div",
        { class: "summary" },
        h(
          "span",
          {},
          str(exp["project_id"]) ? "project " : "",
          h("b", { class: "mono" }, str(exp["project_id"]) ?? str(exp["scope"]) ?? ""),
        ),
        h("span", {}, utc(str(exp["start_time"])), " → ", utc(str(exp["end_time"])) || "now"),
        h("span", {}, h("b", {}, num(Number(progress["rows_written"] ?? 0))), " rows"),
        h("span", {}, h("b", {}, num(Number(progress["files_written"] ?? 0))), " files"),
      ),
      h(
        "div",
        { class: "top" },
        h(
          "div",
          { class: "progress-box" },
          h(
            "div",
            { class: "progress-label" },
            h("b", {}, `${num(done)}%`),
            ` — ${num(Number(progress["partitions_completed"] ?? 0))} of ${num(total)} partitions completed`,
          ),
          progressBar(done),
          statusCounts(progress["runs_by_status"]),
          str(progress["queued_reason"]) ? h("p", { class: "muted" }, "Waiting: ", str(progress["queued_reason"])!) : null,
        ),
        clock(progress, key),
      ),
      h("h2", {}, "Day partitions"),
      legend(),
      grid(cells),
      cells.length < matching ? h("p", { class: "muted" }, `${cells.length} of ${matching} partitions listed.`) : null,
      h("p", { class: "next-step" }, str(structured["next_step"]) ?? ""),
      h(
        "div",
        { class: "actions" },
        refreshButton,
        running ? h("span", { class: "muted" }, ` refreshes every ${REFRESH_MS / 1000} s while running`) : null,
      ),
      key === "failed" || key === "timedout" ? diagnosisPanel(id, ctx) : null,
    ),
  );
  // The listing may be cut to the first runs_limit runs: ask once for all of them.
  if (cells.length < Math.min(matching, MAX_RUNS) && !askedForAll) void refresh();
  else if (running) timer = setTimeout(() => void refresh(), REFRESH_MS);
}

function progressBar(share: number): HTMLElement {
  const bar = s("svg", {
    class: "progress",
    viewBox: "0 0 100 6",
    preserveAspectRatio: "none",
    role: "img",
    "aria-label": `${share}% complete`,
  });
  bar.append(
    s("rect", { x: 0, y: 0, width: 100, height: 6, rx: 3, class: "track" }),
    s("rect", { x: 0, y: 0, width: Math.max(0, Math.min(100, share)), height: 6, rx: 3, class: "fill" }),
  );
  return h("div", {}, bar);
}

function statusCounts(value: unknown): HTMLElement | null {
  if (!value || typeof value !== "object") return null;
  return h(
    "div",
    { class: "legend counts" },
    ...Object.entries(value as Record<string, number>).map(([status, count]) =>
      h("span", {}, h("i", { class: `s-${statusKeyOf(status)}` }), `${status} ${count}`),
    ),
  );
}

/** The workflow-timeout clock: a ring filled by elapsed / limit. */
function clock(progress: Record<string, unknown>, key: string): HTMLElement {
  const limit = Number(progress["workflow_timeout_hours"] ?? 0);
  const elapsed = typeof progress["elapsed_hours"] === "number" ? (progress["elapsed_hours"] as number) : undefined;
  const { share, leftHours } = timeoutClock(elapsed, limit);
  const r = 26;
  const circumference = 2 * Math.PI * r;
  const ring = s("svg", {
    class: "clock",
    viewBox: "0 0 64 64",
    width: 64,
    height: 64,
    role: "img",
    "aria-label": `workflow timeout clock: ${Math.round(share * 100)}% used`,
  });
  ring.append(
    s("circle", { cx: 32, cy: 32, r, class: "clock-track" }),
    s("circle", {
      cx: 32,
      cy: 32,
      r,
      class: `clock-fill${share > 0.8 ? " late" : ""}`,
      "stroke-dasharray": `${share * circumference} ${circumference}`,
      transform: "rotate(-90 32 32)",
    }),
    s("text", { x: 32, y: 36, "text-anchor": "middle", class: "clock-text" }, percent(share)),
  );
  const documented = Array.isArray(progress["workflow_timeout_documented_hours"])
    ? (progress["workflow_timeout_documented_hours"] as number[])
    : [];
  return h(
    "div",
    { class: "clock-box" },
    ring,
    h(
      "div",
      {},
      h("div", {}, h("b", {}, elapsed === undefined ? "?" : duration(elapsed * 3600)), ` of the ${num(limit)} h workflow timeout`),
      h("div", { class: "muted" }, TERMINAL.has(key as never) ? "finished" : `${duration(leftHours * 3600)} left`),
      documented.length > 1 ? h("div", { class: "muted small" }, `docs state ${documented.map((n) => `${n} h`).join(" and ")}`) : null,
    ),
  );
}

const STATUSES = ["queued", "running", "completed", "failed", "cancelled", "timedout"];

function legend(): HTMLElement {
  return h(
    "div",
    { class: "legend" },
    ...STATUSES.map((status) => h("span", {}, h("i", { class: `s-${status}` }), status === "timedout" ? "timed out" : status)),
  );
}

function grid(cells: PartitionCell[]): HTMLElement {
  const box = h("div", { class: "partitions", role: "list" });
  for (const cell of cells) {
    const label = cell.end ? `${utc(cell.start)} → ${utc(cell.end)}` : day(cell.start);
    box.append(
      h(
        "div",
        {
          class: `cell s-${cell.key}`,
          role: "listitem",
          "data-run-id": cell.id,
          "data-status": cell.key,
          title:
            `${label}: ${cell.status}, ${num(cell.rows)} rows, ${cell.files} files, retry ${cell.retries}` +
            (cell.lastError ? `\n${cell.lastError}` : ""),
        },
        h("span", { class: "day" }, cell.end ? label : day(cell.start).slice(5)),
        h("span", { class: "rows" }, `${num(cell.rows)} rows`),
        cell.retries > 0 ? h("span", { class: "retries" }, `↻ ${cell.retries}`) : null,
      ),
    );
  }
  return box;
}

/** diagnose_export's answer for a failed or timed-out export: failure mode, verdict, retry plan. */
function diagnosisPanel(exportId: string, ctx: ViewContext): HTMLElement {
  const cached = diagnoses.get(exportId);
  if (cached) return cached;
  const panel = h(
    "section",
    { class: "panel diagnosis", "aria-label": "Diagnosis" },
    h("h2", {}, "Diagnosis"),
    h("p", { class: "muted" }, "Asking diagnose_export…"),
  );
  diagnoses.set(exportId, panel);
  void ctx.callTool("diagnose_export", { export_id: exportId }).then((outcome) => {
    clear(panel);
    panel.append(h("h2", {}, "Diagnosis"));
    if (!outcome.ok) {
      panel.append(h("div", { class: "error-box" }, outcome.text));
      return;
    }
    const d = outcome.structured;
    const plan = (d["retry_plan"] ?? undefined) as Record<string, unknown> | undefined;
    const calls = Array.isArray(plan?.["create_export_calls"]) ? (plan!["create_export_calls"] as Record<string, unknown>[]) : [];
    panel.append(
      facts([
        ["failure mode", h("b", { class: "failure-mode" }, str(d["failure_mode"]) ?? "")],
        ["confidence", str(d["confidence"])],
        ["retried by LangSmith", d["retried_automatically"] === true ? "yes" : "no"],
      ]),
      h("p", { class: "verdict" }, str(d["verdict"]) ?? ""),
    );
    if (Array.isArray(d["remediation"])) {
      panel.append(h("h2", {}, "What to do"), h("ol", {}, ...(d["remediation"] as unknown[]).map((step) => h("li", {}, String(step)))));
    }
    if (plan) {
      panel.append(
        h("h2", {}, "Retry plan"),
        h("p", { class: "retry-plan" }, str(plan["summary"]) ?? ""),
        ...present(
          calls.length
            ? h(
                "ol",
                { class: "calls mono" },
                ...calls.map((call) =>
                  h("li", {}, `create_export ${day(String(call["start_time"] ?? ""))} → ${day(String(call["end_time"] ?? ""))}`),
                ),
              )
            : null,
          str(plan["pre_retry_check"]) ? h("p", { class: "muted" }, "Before retrying: ", str(plan["pre_retry_check"])!) : null,
        ),
      );
    }
  });
  return panel;
}

startView({ name: "export-progress", render });
