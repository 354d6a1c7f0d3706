/**
 * Purge evidence (deletion_report): the verdict, the ledger's integrity, per project and batch
 * whether it was sent, accepted by LangSmith and verified gone, and a calendar strip of the days
 * from the request past the expected (weekend) deletion window with each event on its day.
 */
import { startView, type ViewContext } from "../shared/app.js";
import { facts, h, present } from "../shared/dom.js";
import { num, str, utc } from "../shared/format.js";
import { calendarStrip, projectRows, verdictTone, type Batch, type BatchRow, type ProjectRows, type Verification } from "./model.js";

function render(structured: Record<string, unknown>, ctx: ViewContext): void {
  const plan = (structured["plan"] ?? {}) as Record<string, unknown>;
  const request = (structured["request"] ?? {}) as Record<string, unknown>;
  const integrity = (structured["integrity"] ?? {}) as Record<string, unknown>;
  const batches = (Array.isArray(structured["batches"]) ? structured["batches"] : []) as Batch[];
  const verifications = (Array.isArray(structured["verifications"]) ? structured["verifications"] : []) as Verification[];
  const projects = (Array.isArray(plan["projects"]) ? plan["projects"] : []) as { id: string; name: string; traces: number }[];
  const verdict = str(structured["final_verdict"]) ?? "not verified yet";
  const intact = integrity["intact"] === true;
  const requestedAt = str(request["requested_at"]) ?? "";
  const last = verifications.at(-1);

  ctx.root.append(
    ...present(
      h("h1", {}, "Purge ", h("span", { class: "mono" }, str(structured["purge_id"]) ?? "")),
      h(
        "div",
        { class: "verdict-line" },
        h("span", { class: `verdict badge ${verdictTone(verdict)}`, "data-verdict": verdict }, verdict.replace(/_/g, " ")),
        h(
          "span",
          { class: `badge ${intact ? "good" : "bad"}`, "data-integrity": intact ? "intact" : "broken" },
          intact ? "ledger intact" : "ledger altered",
        ),
        last
          ? h(
              "span",
              { class: "muted" },
              `last check ${utc(last.last_at ?? last.at)}: ${num(last.visible)} of ${num(last.checked)} still visible`,
            )
          : null,
      ),
      facts([
        ["requested", utc(requestedAt)],
        ["traces", num(Number(plan["trace_count"] ?? 0))],
        ["sent as", str(plan["send_as"])],
        ["criteria", JSON.stringify(request["criteria"] ?? {})],
      ]),
      h("h2", {}, "Expected deletion window"),
      strip(requestedAt, batches, verifications),
      h("h2", {}, "Projects and batches"),
      table(projectRows(projects, batches, verifications)),
      Array.isArray(integrity["problems"]) ? h("div", { class: "error-box" }, (integrity["problems"] as string[]).join("\n")) : null,
      h(
        "p",
        { class: "muted small" },
        `Evidence generated ${utc(str(structured["generated_at"]))} from ${str(structured["ledger"]) ?? "the ledger"}; head hash `,
        h("span", { class: "mono" }, str(integrity["head_hash"]) ?? "—"),
      ),
    ),
  );
}

function strip(requestedAt: string, batches: Batch[], verifications: Verification[]): HTMLElement {
  const days = calendarStrip(requestedAt, batches, verifications);
  const box = h("div", { class: "strip", role: "list" });
  for (const day of days) {
    box.append(
      h(
        "div",
        {
          class: `day${day.weekend ? " weekend" : ""}${day.inWindow ? " in-window" : ""}`,
          role: "listitem",
          "data-date": day.date,
          title: [day.date + (day.inWindow ? " — within the expected deletion window" : ""), ...day.events].join("\n"),
        },
        h("span", { class: "wd" }, day.weekday),
        h("span", { class: "dd" }, day.date.slice(8)),
        h(
          "span",
          { class: "marks" },
          ...day.events.map((event) => h("i", { class: `mark ${event.split(":")[0]!.replace(/\s/g, "-")}`, title: event })),
        ),
      ),
    );
  }
  return h(
    "div",
    {},
    box,
    h(
      "div",
      { class: "legend" },
      h("span", {}, h("i", { class: "sw window" }), "expected window"),
      h("span", {}, h("i", { class: "sw weekend" }), "weekend"),
      h("span", {}, h("i", { class: "mark requested" }), "requested"),
      h("span", {}, h("i", { class: "mark accepted" }), "accepted"),
      h("span", {}, h("i", { class: "mark checked" }), "checked"),
    ),
  );
}

const tick = (iso: string | undefined, label: string): HTMLElement =>
  iso ? h("span", { class: "yes", title: utc(iso) }, `✓ ${label} ${utc(iso).slice(5, 16)}`) : h("span", { class: "no" }, "—");

function table(projects: ProjectRows[]): HTMLElement {
  const body = h("tbody", {});
  for (const project of projects) {
    body.append(
      h(
        "tr",
        { class: "project" },
        h("th", { colspan: 5, scope: "rowgroup" }, project.name, " ", h("span", { class: "muted" }, `${num(project.traces)} traces`)),
      ),
    );
    for (const row of project.batches) body.append(batchRow(row));
    if (project.batches.length === 0) body.append(h("tr", {}, h("td", { colspan: 5, class: "muted" }, "no batch")));
  }
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "batches" },
      h(
        "thead",
        {},
        h("tr", {}, h("th", {}, "batch"), h("th", {}, "traces"), h("th", {}, "sent"), h("th", {}, "accepted"), h("th", {}, "verified")),
      ),
      body,
    ),
  );
}

function batchRow(row: BatchRow): HTMLElement {
  return h(
    "tr",
    { class: "batch", "data-batch": row.batch.batch_no, "data-state": row.batch.state },
    h("td", {}, `#${row.batch.batch_no}`, " ", h("span", { class: "muted" }, row.batch.state)),
    h("td", {}, num(row.batch.trace_count)),
    h("td", { "data-col": "sent" }, tick(row.sentAt, "")),
    h("td", { "data-col": "accepted" }, tick(row.acceptedAt, "")),
    h("td", { "data-col": "verified" }, tick(row.verifiedAt, "")),
  );
}

startView({ name: "purge-evidence", render });
