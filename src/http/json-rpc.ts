/**
 * JSON-RPC framing at the HTTP edge: parsing a POST body into messages, and the error
 * responses the edge answers with before any MCP server sees the request. Error messages say
 * what was wrong and what a well-formed request looks like, since a person debugging a client
 * reads them.
 */
import type { ServerResponse } from "node:http";
import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  ProtocolErrorCode as ErrorCode,
  type JSONRPCMessage,
} from "@modelcontextprotocol/server";

const isJsonRpcMessage = (value: unknown): value is JSONRPCMessage =>
  isJSONRPCRequest(value) || isJSONRPCNotification(value) || isJSONRPCResultResponse(value) || isJSONRPCErrorResponse(value);

/** Older protocol revisions allow batches; the SDK caps them at 100 messages. */
const MAX_BATCH = 100;

export type ParsedBody =
  | { ok: true; body: JSONRPCMessage | JSONRPCMessage[]; messages: JSONRPCMessage[] }
  | { ok: false; status: number; code: number; message: string; id: string | number | null };

const idOf = (value: unknown): string | number | null => {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? id : null;
};

export function parseJsonRpcBody(text: string): ParsedBody {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      status: 400,
      code: ErrorCode.ParseError,
      message: `Parse error: the body is not valid JSON (${(error as Error).message}).`,
      id: null,
    };
  }
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0 || items.length > MAX_BATCH) {
    return {
      ok: false,
      status: 400,
      code: ErrorCode.InvalidRequest,
      message: `Invalid Request: a batch must hold 1 to ${MAX_BATCH} messages.`,
      id: null,
    };
  }
  const messages: JSONRPCMessage[] = [];
  for (const item of items) {
    // Checked, never rewritten: a 2026-07-28 retry's inputResponses and requestState must
    // reach the SDK byte for byte.
    if (!isJsonRpcMessage(item)) {
      return {
        ok: false,
        status: 400,
        code: ErrorCode.InvalidRequest,
        message: 'Invalid Request: expected a JSON-RPC 2.0 message such as {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}.',
        id: idOf(item),
      };
    }
    messages.push(item);
  }
  return { ok: true, body: raw as JSONRPCMessage | JSONRPCMessage[], messages };
}

/**
 * The protocol revisions that allow JSON-RPC batches: 2025-03-26 added them (and earlier
 * revisions took JSON-RPC 2.0 as is); 2025-06-18 removed them, and no later revision has them.
 */
const BATCHING_REVISIONS: readonly string[] = ["2024-10-07", "2024-11-05", "2025-03-26"];

/**
 * Why a POST body that is a batch must be refused, or undefined to serve it. `revision` is the
 * request's protocol revision (its MCP-Protocol-Version header, or its session's); undefined
 * means the client sent none, which the transport spec reads as 2025-03-26. Served as a batch,
 * 100 tool calls in 5 KB would fan out to 100 LangSmith calls on a revision that has no batches.
 */
export function batchRefusal(body: JSONRPCMessage | JSONRPCMessage[], revision: string | undefined): string | undefined {
  if (!Array.isArray(body)) return undefined;
  if (body.some(isInitializeRequest)) return "Invalid Request: initialize must be sent on its own, not inside a JSON-RPC batch.";
  if (revision === undefined || BATCHING_REVISIONS.includes(revision)) return undefined;
  return (
    `Invalid Request: JSON-RPC batches were removed in protocol revision 2025-06-18 and this request is for ${revision.slice(0, 32)}; ` +
    "send each message in a POST of its own."
  );
}

/** Answers with a JSON-RPC error object; `id` is null when the request's id is unknown. */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  options: { id?: string | number | null; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: options.id ?? null });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...options.headers });
  res.end(body);
}

/** Implementation-defined server error code used by the SDK for transport-level refusals. */
export const TRANSPORT_ERROR = -32000;
/** The SDK's code for an unknown session. */
export const SESSION_NOT_FOUND = -32001;
