/**
 * Raw JSON-RPC at 2026-07-28 for the Tasks extension (io.modelcontextprotocol/tasks). The SDK
 * v2 client has no task runtime: its tools/call refuses a `resultType: "task"` answer. So these
 * tests speak the wire as the extension's specification writes it (ext-tasks,
 * specification/2026-07-28/tasks.md): per-request `_meta` with the protocol version and the
 * client's capabilities, the Mcp-Method / Mcp-Name headers (Mcp-Name = the task id on tasks/*).
 */
export const MODERN = "2026-07-28";
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/** What a JSON-RPC answer holds: a result or an error. */
export interface RpcAnswer {
  status: number;
  result?: Record<string, any>;
  error?: { code: number; message: string; data?: any };
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ModernCaller {
  /** Sends one request; `capabilities` defaults to the Tasks extension plus elicitation. */
  request: (
    method: string,
    params?: Record<string, unknown>,
    options?: { capabilities?: Record<string, unknown>; headers?: Record<string, string> },
  ) => Promise<RpcAnswer>;
}

const NAME_FIELD: Record<string, string> = {
  "tools/call": "name",
  "tasks/get": "taskId",
  "tasks/cancel": "taskId",
  "tasks/update": "taskId",
  "prompts/get": "name",
  "resources/read": "uri",
};

/** A 2026-07-28 caller over `fetch` at `url`; `headers` go with every request (e.g. the LangSmith key). */
export function modernCaller(fetchLike: FetchLike, url: string, headers: Record<string, string> = {}): ModernCaller {
  let id = 0;
  return {
    request: async (method, params = {}, options = {}) => {
      const capabilities = options.capabilities ?? { elicitation: { form: {} }, extensions: { [TASKS_EXTENSION]: {} } };
      const nameField = NAME_FIELD[method];
      const name = nameField ? params[nameField] : undefined;
      const response = await fetchLike(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": MODERN,
          "mcp-method": method,
          ...(typeof name === "string" && { "mcp-name": name }),
          ...headers,
          ...options.headers,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: ++id,
          method,
          params: {
            ...params,
            _meta: {
              "io.modelcontextprotocol/protocolVersion": MODERN,
              "io.modelcontextprotocol/clientInfo": { name: "tasks-wire", version: "1" },
              "io.modelcontextprotocol/clientCapabilities": capabilities,
            },
          },
        }),
      });
      return { status: response.status, ...parseAnswer(await response.text(), response.headers.get("content-type") ?? "") };
    },
  };
}

/** The JSON-RPC response of a body that is JSON or an SSE stream (the last message with an id). */
function parseAnswer(text: string, contentType: string): Omit<RpcAnswer, "status"> {
  const messages = contentType.includes("text/event-stream")
    ? text
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => JSON.parse(line.slice(5)) as Record<string, any>)
    : text
      ? [JSON.parse(text) as Record<string, any>]
      : [];
  const response = messages.filter((m) => "result" in m || "error" in m).at(-1);
  if (!response) throw new Error(`no JSON-RPC response in: ${text.slice(0, 500)}`);
  return "error" in response ? { error: response.error } : { result: response.result };
}

/** Polls tasks/get until `done` holds for the task (or it is terminal), at most `limitMs`. */
export async function pollTask(
  caller: ModernCaller,
  taskId: string,
  done: (task: Record<string, any>) => boolean = () => false,
  limitMs = 20_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const answer = await caller.request("tasks/get", { taskId });
    if (!answer.result) throw new Error(`tasks/get failed: ${JSON.stringify(answer.error)}`);
    const task = answer.result;
    if (done(task) || ["completed", "failed", "cancelled"].includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${task.status} after ${limitMs} ms: ${JSON.stringify(task)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
