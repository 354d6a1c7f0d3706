/** The run-stats view; drawn in full in a later step, here the result's keys only. */
import { startView } from "../shared/app.js";
import { h } from "../shared/dom.js";

startView({
  name: "run-stats",
  render: (structured, ctx) => ctx.root.append(h("pre", { class: "mono" }, JSON.stringify(structured, null, 2))),
});
