/**
 * The seeded data set: one organization, the default workspace (what the default API key
 * sees) and a second workspace it cannot see, projects with realistic nested traces laid
 * out over the 7 days before the clock's start time (denser in the last 24 h).
 *
 * Everything derives from (seed, now, scale): the same inputs give identical ids, times and
 * payloads, so tests compute expectations from the store instead of pasting JSON.
 */
import { EMBEDDING_MODEL, LEAF_ERRORS, MODELS, PYTHON_RUNTIME, TEXTS, type LeafErrorKind, type ModelSpec } from "./catalog.js";
import type { FeedbackStat, RunStatus, RunType, SimOrganization, SimProject, SimRun, SimWorkspace } from "./model.js";
import { Prng } from "./prng.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SeedData {
  organization: SimOrganization;
  /** The default workspace first, then the one the default key cannot see. */
  workspaces: SimWorkspace[];
  projects: SimProject[];
  runs: SimRun[];
  apiKey: string;
  orgApiKey: string;
}

type Flow = "checkout" | "support" | "rag" | "eval" | "internal";

interface ProjectPlan {
  name: string;
  description: string;
  workspace: 0 | 1;
  flow: Flow;
  /** Traces at scale 1. */
  traces: number;
  ageDays: number;
  withDataset?: boolean;
}

/** The projects every seed creates; the trace counts give ~36k runs at scale 1. */
const PROJECT_PLANS: readonly ProjectPlan[] = [
  {
    name: "checkout-bot",
    description: "Checkout and refunds assistant (production + staging)",
    workspace: 0,
    flow: "checkout",
    traces: 1350,
    ageDays: 142,
  },
  {
    name: "support-bot",
    description: "Conversational help-desk agent; one thread per customer conversation",
    workspace: 0,
    flow: "support",
    traces: 1400,
    ageDays: 97,
  },
  {
    name: "rag-search",
    description: "Internal knowledge-base search over the handbook, runbooks and postmortems",
    workspace: 0,
    flow: "rag",
    traces: 1300,
    ageDays: 63,
  },
  {
    name: "eval-nightly",
    description: "Nightly regression evaluation against the golden QA dataset",
    workspace: 0,
    flow: "eval",
    traces: 350,
    ageDays: 30,
    withDataset: true,
  },
  { name: "empty-project", description: "Created for a spike, never traced to", workspace: 0, flow: "internal", traces: 0, ageDays: 12 },
  {
    name: "checkout-bot",
    description: "Checkout assistant of the EU team (separate workspace)",
    workspace: 1,
    flow: "checkout",
    traces: 40,
    ageDays: 80,
  },
  { name: "internal-tools", description: "Ops copilots", workspace: 1, flow: "rag", traces: 30, ageDays: 40 },
];

/** A node of a trace template; the builder turns it into runs with times and payloads. */
interface NodeSpec {
  name: string;
  run_type: RunType;
  model?: ModelSpec;
  errorKind?: LeafErrorKind;
  children?: NodeSpec[];
}

interface TraceContext {
  rng: Prng;
  project: SimProject;
  flow: Flow;
  question: string;
  answer: string;
  orderNumber: number;
  tags: string[];
  metadata: Record<string, unknown>;
  threadId: string | null;
  /** Index (in start order) of the leaf that raises, or -1. */
  failAt: number;
  /** Index (in start order) of the leaf still running, or -1. */
  pendingAt: number;
  largeOutput: boolean;
  referenceExampleId: string | null;
  referenceDatasetId: string | null;
}

export function generateDataset(seed: number, nowMs: number, scale = 1): SeedData {
  const rng = new Prng(seed);
  const organization: SimOrganization = { id: rng.uuid4(), name: "Acme Inc." };
  const workspaces: SimWorkspace[] = [
    { id: rng.uuid4(), organization_id: organization.id, name: "Production", created_at: nowMs - 400 * DAY },
    { id: rng.uuid4(), organization_id: organization.id, name: "EU Team", created_at: nowMs - 200 * DAY },
  ];
  const apiKey = `lsv2_pt_${rng.hex(32)}_${rng.hex(10)}`;
  const orgApiKey = `lsv2_sk_${rng.hex(32)}_${rng.hex(10)}`;

  const projects: SimProject[] = [];
  const runs: SimRun[] = [];
  for (const plan of PROJECT_PLANS) {
    const workspace = workspaces[plan.workspace];
    if (!workspace) throw new Error("unknown workspace in project plan");
    const project: SimProject = {
      id: rng.uuid4(),
      tenant_id: workspace.id,
      name: plan.name,
      description: plan.description,
      start_time: nowMs - plan.ageDays * DAY - rng.int(0, DAY),
      end_time: null,
      reference_dataset_id: plan.withDataset ? rng.uuid4() : null,
      extra: plan.withDataset ? { metadata: { git_sha: rng.hex(7), dataset_version: "latest" } } : { metadata: {} },
      conversational: plan.flow === "support",
    };
    projects.push(project);
    const traceCount = Math.round(plan.traces * scale);
    generateProjectTraces(new Prng(rng.nextUint32()), project, plan.flow, traceCount, nowMs, runs);
  }
  return { organization, workspaces, projects, runs, apiKey, orgApiKey };
}

interface TraceSlot {
  start: number;
  threadId: string | null;
  userId: string;
  pending: boolean;
}

/** When each trace starts: 40% in the last 24 h, the rest over the 6 days before; a few in flight. */
function planTraceSlots(rng: Prng, flow: Flow, count: number, nowMs: number): TraceSlot[] {
  const slots: TraceSlot[] = [];
  // Started a minute or two ago; the steps before the running LLM call always fit before now.
  const pendingCount = count >= 100 && flow !== "eval" ? 3 : 0;
  for (let i = 0; i < pendingCount; i++) {
    slots.push({
      start: nowMs - rng.int(60_000, 120_000),
      threadId: flow === "support" ? rng.uuid4() : null,
      userId: randomUserId(rng),
      pending: true,
    });
  }
  const randomStart = (): number => (rng.chance(0.4) ? nowMs - rng.int(2 * MINUTE, DAY) : nowMs - rng.int(DAY, 7 * DAY));

  if (flow === "eval") {
    // Nightly batches at 02:00 UTC, one batch per night for the last 7 nights.
    const nights = 7;
    const perNight = Math.ceil(count / nights);
    const today2am = Math.floor(nowMs / DAY) * DAY + 2 * HOUR;
    for (let n = 0; n < nights && slots.length < count; n++) {
      let batchStart = today2am - (n + (today2am > nowMs - HOUR ? 1 : 0)) * DAY;
      for (let k = 0; k < perNight && slots.length < count; k++) {
        batchStart += rng.int(800, 4_000);
        slots.push({ start: batchStart, threadId: null, userId: "eval-runner", pending: false });
      }
    }
    return slots;
  }

  while (slots.length < count) {
    if (flow === "support") {
      // Conversations: several turns a few minutes apart on one thread, one user.
      const threadId = rng.uuid4();
      const userId = rng.chance(0.05) ? "123" : randomUserId(rng);
      const turns = rng.int(1, 6);
      let t = randomStart();
      for (let k = 0; k < turns && slots.length < count; k++) {
        slots.push({ start: Math.min(t, nowMs - 2 * MINUTE), threadId, userId, pending: false });
        t += rng.int(30_000, 6 * MINUTE);
      }
    } else {
      slots.push({ start: randomStart(), threadId: null, userId: rng.chance(0.01) ? "123" : randomUserId(rng), pending: false });
    }
  }
  return slots;
}

function randomUserId(rng: Prng): string {
  return rng.chance(0.5) ? String(rng.int(100, 99_999)) : `u_${rng.int(10_000, 99_999)}`;
}

function generateProjectTraces(rng: Prng, project: SimProject, flow: Flow, count: number, nowMs: number, out: SimRun[]): void {
  if (count === 0) return;
  const slots = planTraceSlots(rng, flow, count, nowMs);
  const exampleIds = Array.from({ length: 60 }, () => rng.uuid4());
  let forcedLlmErrors = 0;
  slots.forEach((slot, index) => {
    const template = traceTemplate(rng, flow);
    const leaves = leafOrder(template);
    const recent = slot.start > nowMs - DAY;
    let failAt = -1;
    let pendingAt = -1;
    if (slot.pending) {
      pendingAt = lastIndex(leaves, (n) => n.run_type === "llm");
    } else if (recent && forcedLlmErrors < 6 && index % 17 === 5) {
      // The demo looks for errored LLM calls in the last 24 h of every busy project.
      failAt = leaves.findIndex((n) => n.run_type === "llm");
      forcedLlmErrors++;
    } else if (rng.chance(0.065)) {
      const failing = leaves.map((n, i) => (n.errorKind ? i : -1)).filter((i) => i >= 0);
      failAt = failing.length > 0 ? rng.pick(failing) : -1;
    }
    const env = rng.chance(0.85) ? "production" : "staging";
    const tags = [env];
    if (rng.chance(0.5)) tags.push("v2");
    const question = fillOrder(rng.pick(questionsFor(flow)), rng);
    const ctx: TraceContext = {
      rng,
      project,
      flow,
      question,
      answer: fillOrder(rng.pick(answersFor(flow)), rng),
      orderNumber: rng.int(10_000, 99_999),
      tags,
      metadata: {
        user_id: slot.userId,
        env,
        ...(slot.threadId ? { thread_id: slot.threadId } : {}),
        ...(flow === "eval" ? { experiment: "nightly", revision_id: "a1b2c3d" } : {}),
      },
      threadId: slot.threadId,
      failAt,
      pendingAt,
      largeOutput: index % 331 === 7,
      referenceExampleId: flow === "eval" ? rng.pick(exampleIds) : null,
      referenceDatasetId: flow === "eval" ? project.reference_dataset_id : null,
    };
    buildTrace(ctx, template, slot.start, out, nowMs);
  });
}

function questionsFor(flow: Flow): readonly string[] {
  switch (flow) {
    case "checkout":
      return TEXTS.checkoutQuestions;
    case "support":
      return TEXTS.supportQuestions;
    case "eval":
      return TEXTS.evalInputs;
    default:
      return TEXTS.ragQuestions;
  }
}

function answersFor(flow: Flow): readonly string[] {
  switch (flow) {
    case "checkout":
      return TEXTS.checkoutAnswers;
    case "support":
      return TEXTS.supportAnswers;
    case "eval":
      return TEXTS.evalOutputs;
    default:
      return TEXTS.ragAnswers;
  }
}

function fillOrder(text: string, rng: Prng): string {
  return text.replaceAll("{n}", String(rng.int(10_000, 99_999)));
}

const llm = (model: ModelSpec): NodeSpec => ({ name: model.runName, run_type: "llm", model, errorKind: model.provider });
const prompt = (): NodeSpec => ({ name: "ChatPromptTemplate", run_type: "prompt" });
const parser = (name = "StrOutputParser"): NodeSpec => ({
  name,
  run_type: "parser",
  errorKind: name === "StrOutputParser" ? undefined : "parser",
});
const tool = (name: "search_orders" | "refund_payment" | "lookup_customer"): NodeSpec => ({ name, run_type: "tool", errorKind: name });

/** The shape of one trace for a flow; a few variants per flow, chosen at random. */
function traceTemplate(rng: Prng, flow: Flow): NodeSpec {
  switch (flow) {
    case "checkout": {
      const tools: NodeSpec[] = [tool("lookup_customer"), tool("search_orders")];
      if (rng.chance(0.45)) tools.push(tool("refund_payment"));
      const steps: NodeSpec[] = [prompt(), llm(MODELS.gpt4o)];
      for (const t of tools) steps.push(t, llm(MODELS.gpt4o));
      steps.push(parser("PydanticOutputParser"));
      return rng.chance(0.5)
        ? { name: "checkout_flow", run_type: "chain", children: steps }
        : { name: "AgentExecutor", run_type: "chain", children: [{ name: "RunnableSequence", run_type: "chain", children: steps }] };
    }
    case "support": {
      const agentStep = (): NodeSpec => ({
        name: "RunnableSequence",
        run_type: "chain",
        children: [prompt(), llm(MODELS.claude), parser("ToolsAgentOutputParser")],
      });
      const children: NodeSpec[] = [agentStep()];
      if (rng.chance(0.6)) children.push(tool("lookup_customer"), agentStep());
      return { name: "AgentExecutor", run_type: "chain", children };
    }
    case "rag":
    case "internal":
      return {
        name: "answer_question",
        run_type: "chain",
        children: [
          {
            name: "VectorStoreRetriever",
            run_type: "retriever",
            errorKind: "retriever",
            children: [{ name: EMBEDDING_MODEL.runName, run_type: "embedding", errorKind: "openai" }],
          },
          {
            name: "RunnableSequence",
            run_type: "chain",
            children: [prompt(), llm(rng.chance(0.7) ? MODELS.gpt4o : MODELS.claude), parser()],
          },
        ],
      };
    case "eval":
      return { name: "RunnableSequence", run_type: "chain", children: [prompt(), llm(MODELS.gpt4o), parser()] };
  }
}

/** Nodes in start (pre-)order, the order `failAt`/`pendingAt` index into. */
function leafOrder(root: NodeSpec): NodeSpec[] {
  const order: NodeSpec[] = [];
  const walk = (n: NodeSpec): void => {
    order.push(n);
    n.children?.forEach(walk);
  };
  walk(root);
  return order;
}

function lastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}

interface BuildState {
  ctx: TraceContext;
  out: SimRun[];
  nowMs: number;
  /** Pre-order counter, shared with `failAt`/`pendingAt`. */
  visited: number;
  executionOrder: number;
  /** Set once a leaf raised or is still running: later siblings never start. */
  stopped: { status: "error" | "pending"; error: string | null } | null;
  traceId: string;
}

function buildTrace(ctx: TraceContext, template: NodeSpec, start: number, out: SimRun[], nowMs: number): void {
  const state: BuildState = { ctx, out, nowMs, visited: 0, executionOrder: 0, stopped: null, traceId: "" };
  buildNode(state, template, null, start);
}

/** Builds `spec` starting at `start`; returns the run (its end_time is null while pending). */
function buildNode(state: BuildState, spec: NodeSpec, parent: SimRun | null, start: number): SimRun {
  const { ctx } = state;
  const rng = ctx.rng;
  const nodeIndex = state.visited++;
  const id = rng.uuid7(start);
  if (parent === null) state.traceId = id;
  const isRootRun = parent === null;
  const executionOrder = ++state.executionOrder;
  const startUs = subMillisecond(state.traceId, executionOrder);
  const run: SimRun = {
    id,
    tenant_id: ctx.project.tenant_id,
    project_id: ctx.project.id,
    trace_id: state.traceId,
    name: spec.name,
    run_type: spec.run_type,
    status: "success",
    start_time: start,
    start_us: startUs,
    end_time: start,
    first_token_time: null,
    parent_run_ids: parent ? [...parent.parent_run_ids, parent.id] : [],
    parent_run_id: parent ? parent.id : null,
    child_run_ids: [],
    dotted_order: `${parent ? `${parent.dotted_order}.` : ""}${dottedSegment(start, id, startUs)}`,
    execution_order: executionOrder,
    inputs: {},
    outputs: null,
    error: null,
    tags: spec.model ? [...ctx.tags, spec.model.model] : ctx.tags,
    metadata: ctx.metadata,
    runtime: PYTHON_RUNTIME,
    events: [],
    prompt_tokens: null,
    completion_tokens: null,
    total_tokens: null,
    prompt_cost: null,
    completion_cost: null,
    total_cost: null,
    prompt_token_details: null,
    completion_token_details: null,
    prompt_cost_details: null,
    completion_cost_details: null,
    price_model_id: null,
    feedback_stats: null,
    reference_example_id: isRootRun ? ctx.referenceExampleId : null,
    reference_dataset_id: isRootRun ? ctx.referenceDatasetId : null,
    thread_id: ctx.threadId,
    code_path: isRootRun ? codePathFor(ctx.flow) : null,
    manifest: null,
    in_dataset: isRootRun && ctx.referenceExampleId === null && rng.chance(0.02),
    share_token: isRootRun && rng.chance(0.012) ? rng.uuid4() : null,
  };
  state.out.push(run);
  if (spec.model) {
    run.metadata = {
      ...ctx.metadata,
      ls_provider: spec.model.provider,
      ls_model_name: spec.model.model,
      ls_model_type: "chat",
      ls_temperature: 0.2,
    };
    run.manifest = {
      lc: 1,
      type: "constructor",
      id: spec.model.manifestId,
      kwargs: { model_name: spec.model.model, temperature: 0.2, streaming: true },
    };
  }
  run.inputs = inputsFor(ctx, spec);

  if (spec.children && spec.children.length > 0) {
    let cursor = start;
    for (const childSpec of spec.children) {
      if (state.stopped) break;
      const child = buildNode(state, childSpec, run, cursor);
      run.child_run_ids.push(child.id);
      cursor = (child.end_time ?? cursor) + rng.int(0, 3);
    }
    aggregateUsage(run, state.out, state.traceId);
    if (state.stopped) {
      run.status = state.stopped.status;
      run.error = state.stopped.error;
      run.end_time = state.stopped.status === "pending" ? null : cursor + rng.int(1, 4);
    } else {
      run.end_time = cursor + rng.int(1, 6);
      run.outputs = outputsFor(ctx, spec, run);
    }
  } else if (nodeIndex === ctx.pendingAt) {
    run.status = "pending";
    run.end_time = null;
    run.events = [{ name: "start", time: iso(start) }];
    state.stopped = { status: "pending", error: null };
  } else {
    const duration = leafDuration(rng, spec);
    run.end_time = start + duration;
    if (nodeIndex === ctx.failAt && spec.errorKind) {
      run.status = "error";
      run.error = rng.pick(LEAF_ERRORS[spec.errorKind]);
      run.events = [
        { name: "start", time: iso(start) },
        { name: "error", time: iso(run.end_time) },
      ];
      state.stopped = { status: "error", error: run.error };
    } else {
      if (spec.model) applyLlmUsage(rng, run, spec.model, ctx.largeOutput);
      if (spec.run_type === "embedding") applyEmbeddingUsage(rng, run);
      run.outputs = outputsFor(ctx, spec, run);
      run.events = [
        { name: "start", time: iso(start) },
        { name: "end", time: iso(run.end_time) },
      ];
    }
  }
  if (isRootRun && run.status !== "pending" && rng.chance(ctx.flow === "eval" ? 0.9 : 0.25)) {
    run.feedback_stats = feedbackFor(rng, ctx.flow, run.status);
  }
  return run;
}

function leafDuration(rng: Prng, spec: NodeSpec): number {
  if (spec.model) return rng.int(spec.model.latencyMs[0], spec.model.latencyMs[1]);
  switch (spec.run_type) {
    case "prompt":
      return rng.int(0, 3);
    case "parser":
      return rng.int(0, 2);
    case "tool":
      return rng.int(40, 900);
    case "retriever":
      return rng.int(80, 700);
    case "embedding":
      return rng.int(60, 300);
    default:
      return rng.int(5, 50);
  }
}

const round6 = (n: number): number => Math.round(n * 1e9) / 1e9;

function applyLlmUsage(rng: Prng, run: SimRun, model: ModelSpec, large: boolean): void {
  const prompt = rng.int(180, 4200);
  const completion = large ? rng.int(2500, 4000) : rng.int(15, 850);
  const cached = rng.chance(0.3) ? Math.floor(prompt * rng.next() * 0.6) : 0;
  run.prompt_tokens = prompt;
  run.completion_tokens = completion;
  run.total_tokens = prompt + completion;
  run.prompt_cost = round6((prompt * model.inputPerMillion) / 1e6);
  run.completion_cost = round6((completion * model.outputPerMillion) / 1e6);
  run.total_cost = round6(run.prompt_cost + run.completion_cost);
  run.prompt_token_details = model.provider === "openai" ? { cache_read: cached } : { cache_read: cached, cache_creation: 0 };
  run.completion_token_details = model.provider === "openai" ? { reasoning: 0 } : {};
  run.prompt_cost_details = { cache_read: round6((cached * model.inputPerMillion * 0.5) / 1e6) };
  run.completion_cost_details = {};
  run.price_model_id = model.priceModelId;
  run.first_token_time = run.start_time + rng.int(180, Math.min(900, (run.end_time ?? run.start_time) - run.start_time));
}

function applyEmbeddingUsage(rng: Prng, run: SimRun): void {
  const tokens = rng.int(8, 40);
  run.prompt_tokens = tokens;
  run.completion_tokens = 0;
  run.total_tokens = tokens;
  run.prompt_cost = round6((tokens * EMBEDDING_MODEL.inputPerMillion) / 1e6);
  run.completion_cost = 0;
  run.total_cost = run.prompt_cost;
}

/** Chains report the sum of their descendants' tokens and costs, as LangSmith shows them. */
function aggregateUsage(run: SimRun, all: SimRun[], traceId: string): void {
  let prompt = 0;
  let completion = 0;
  let promptCost = 0;
  let completionCost = 0;
  let any = false;
  for (let i = all.length - 1; i >= 0; i--) {
    const r = all[i] as SimRun;
    if (r.trace_id !== traceId) break;
    if (r.parent_run_id !== run.id) continue;
    if (r.total_tokens === null) continue;
    any = true;
    prompt += r.prompt_tokens ?? 0;
    completion += r.completion_tokens ?? 0;
    promptCost += r.prompt_cost ?? 0;
    completionCost += r.completion_cost ?? 0;
  }
  if (!any) return;
  run.prompt_tokens = prompt;
  run.completion_tokens = completion;
  run.total_tokens = prompt + completion;
  run.prompt_cost = round6(promptCost);
  run.completion_cost = round6(completionCost);
  run.total_cost = round6(promptCost + completionCost);
}

function feedbackFor(rng: Prng, flow: Flow, status: RunStatus): Record<string, FeedbackStat> {
  const stat = (score: number): FeedbackStat => ({ n: 1, avg: score, stdev: 0, errors: 0, values: {} });
  const correct = status === "success" && rng.chance(0.82) ? 1 : 0;
  const stats: Record<string, FeedbackStat> = { correctness: stat(correct) };
  if (flow === "support") stats["helpfulness"] = stat(rng.pick([0, 0.25, 0.5, 0.75, 1]));
  if (flow === "eval") stats["exact_match"] = stat(correct);
  if (flow === "eval") stats["latency_ok"] = stat(rng.chance(0.95) ? 1 : 0);
  return stats;
}

function codePathFor(flow: Flow): string {
  switch (flow) {
    case "checkout":
      return "/app/checkout/flow.py:run_checkout";
    case "support":
      return "/app/support/agent.py:invoke";
    case "eval":
      return "/app/evals/nightly.py:target";
    default:
      return "/app/rag/chain.py:answer_question";
  }
}

function systemPromptFor(flow: Flow): string {
  switch (flow) {
    case "checkout":
      return TEXTS.systemPrompts.checkout;
    case "support":
      return TEXTS.systemPrompts.support;
    case "eval":
      return TEXTS.systemPrompts.eval;
    default:
      return TEXTS.systemPrompts.rag;
  }
}

function messages(ctx: TraceContext): Array<Record<string, unknown>> {
  return [
    { role: "system", content: systemPromptFor(ctx.flow) },
    { role: "user", content: ctx.question },
  ];
}

function inputsFor(ctx: TraceContext, spec: NodeSpec): Record<string, unknown> {
  switch (spec.run_type) {
    case "chain":
      if (spec.name === "AgentExecutor") return { input: ctx.question, chat_history: [] };
      return ctx.flow === "rag" || ctx.flow === "internal" ? { question: ctx.question } : { input: ctx.question };
    case "prompt":
      return { question: ctx.question };
    case "llm":
      return { messages: [messages(ctx)] };
    case "retriever":
      return { query: ctx.question };
    case "embedding":
      return { input: [ctx.question] };
    case "tool":
      if (spec.name === "refund_payment")
        return { input: JSON.stringify({ order_id: `ord_${ctx.orderNumber}`, amount: 42.9, reason: "duplicate_charge" }) };
      if (spec.name === "lookup_customer") return { input: JSON.stringify({ email: `customer${ctx.orderNumber % 977}@example.com` }) };
      return { input: JSON.stringify({ order_id: `ord_${ctx.orderNumber}` }) };
    case "parser":
      return { input: ctx.answer };
  }
}

function outputsFor(ctx: TraceContext, spec: NodeSpec, run: SimRun): Record<string, unknown> {
  switch (spec.run_type) {
    case "chain":
      return { output: ctx.answer };
    case "prompt":
      return { output: { messages: messages(ctx) } };
    case "llm": {
      // The text appears twice (generation text and message content): ~240 KB in all.
      const text = ctx.largeOutput ? largeText(ctx.answer, 120_000) : ctx.answer;
      return {
        generations: [
          [{ text, type: "ChatGeneration", generation_info: { finish_reason: "stop" }, message: { role: "assistant", content: text } }],
        ],
        llm_output: {
          model_name: spec.model?.model ?? null,
          token_usage: { prompt_tokens: run.prompt_tokens, completion_tokens: run.completion_tokens, total_tokens: run.total_tokens },
        },
      };
    }
    case "retriever": {
      const count = ctx.largeOutput ? 40 : 4;
      const documents = Array.from({ length: count }, (_, i) => ({
        type: "Document",
        page_content: ctx.largeOutput ? largeText(ctx.answer, 5_000) : `${ctx.answer} (excerpt ${i + 1})`,
        metadata: {
          source: TEXTS.ragSources[(ctx.orderNumber + i) % TEXTS.ragSources.length],
          page: i + 1,
          score: round6(0.92 - i * 0.04),
        },
      }));
      return { documents };
    }
    case "embedding":
      return { embeddings: [[0.0123, -0.0456, 0.0789, 0.0012, -0.0345]] };
    case "tool":
      if (spec.name === "search_orders" && ctx.largeOutput) {
        const orders = Array.from({ length: 900 }, (_, i) => ({
          order_id: `ord_${ctx.orderNumber + i}`,
          status: i % 7 === 0 ? "returned" : "delivered",
          total: 19.9 + (i % 50),
          items: ["sku_1042", "sku_2231"],
        }));
        return { output: JSON.stringify(orders) };
      }
      if (spec.name === "refund_payment")
        return { output: JSON.stringify({ refund_id: `re_${ctx.orderNumber}`, status: "succeeded", amount: 42.9 }) };
      if (spec.name === "lookup_customer")
        return { output: JSON.stringify({ customer_id: `cus_${ctx.orderNumber}`, tier: "gold", orders_last_90d: 3 }) };
      return { output: JSON.stringify({ order_id: `ord_${ctx.orderNumber}`, status: "in_transit", carrier: "UPS", eta: "tomorrow" }) };
    case "parser":
      return { output: ctx.answer };
  }
}

function largeText(seedText: string, bytes: number): string {
  const unit = `${seedText} `;
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/**
 * The sub-millisecond part of a run's times, from its trace id (so from the seed, without
 * drawing from the generator): a base per trace plus the run's execution order, so a child
 * starting in its parent's millisecond never starts before it. Zero for about 0.1% of traces'
 * roots, as real timestamps sometimes are.
 */
export function subMillisecond(traceId: string, executionOrder: number): number {
  const base = Number.parseInt(traceId.replaceAll("-", "").slice(-8), 16) % 900;
  return Math.min(999, base + executionOrder - 1);
}

/**
 * A trace of one successful `chain` run that took 1 s, with no payloads, tokens or cost: the
 * bulk data the scale benchmark and the budget tests add to a project (store.addProject).
 * `startMs` is UTC epoch milliseconds.
 */
export function oneRunTrace(
  id: string,
  at: { tenantId: string; projectId: string; startMs: number; metadata: Record<string, unknown> },
): SimRun {
  return {
    id,
    tenant_id: at.tenantId,
    project_id: at.projectId,
    trace_id: id,
    name: "chat",
    run_type: "chain",
    status: "success",
    start_time: at.startMs,
    start_us: 0,
    end_time: at.startMs + 1000,
    first_token_time: null,
    parent_run_ids: [],
    parent_run_id: null,
    child_run_ids: [],
    dotted_order: dottedSegment(at.startMs, id),
    execution_order: 1,
    inputs: {},
    outputs: null,
    error: null,
    tags: [],
    metadata: at.metadata,
    runtime: {},
    events: [],
    prompt_tokens: null,
    completion_tokens: null,
    total_tokens: null,
    prompt_cost: null,
    completion_cost: null,
    total_cost: null,
    prompt_token_details: null,
    completion_token_details: null,
    prompt_cost_details: null,
    completion_cost_details: null,
    price_model_id: null,
    feedback_stats: null,
    reference_example_id: null,
    reference_dataset_id: null,
    thread_id: null,
    code_path: null,
    in_dataset: false,
    manifest: null,
    share_token: null,
  };
}

/** `YYYYMMDDTHHMMSSffffff` + `Z` + the id without dashes, as LangSmith's dotted_order segments. */
export function dottedSegment(startMs: number, id: string, startUs = 0): string {
  const d = new Date(startMs);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  const stamp =
    `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}` +
    `${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds() * 1000 + startUs, 6)}`;
  return `${stamp}Z${id.replaceAll("-", "")}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();
