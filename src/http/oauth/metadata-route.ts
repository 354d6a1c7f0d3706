/**
 * Serves the Protected Resource Metadata document (RFC 9728) at the paths OAuthGate names. It
 * is public: any page may read it (CORS `*`), which is how a browser-based client discovers the
 * authorization server.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJsonRpcError, TRANSPORT_ERROR } from "../json-rpc.js";
import type { OAuthGate } from "./gate.js";

/** The Protected Resource Metadata document (RFC 9728): public, readable from any page. */
export function serveMetadata(req: IncomingMessage, res: ServerResponse, oauth: OAuthGate): void {
  const cors = { "access-control-allow-origin": "*" };
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      ...cors,
      "access-control-allow-methods": "GET, HEAD, OPTIONS",
      "access-control-allow-headers": "mcp-protocol-version",
    });
    res.end();
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendJsonRpcError(res, 405, TRANSPORT_ERROR, "Method not allowed: read the resource metadata with GET.", {
      headers: { allow: "GET, HEAD, OPTIONS", ...cors },
    });
    return;
  }
  const body = JSON.stringify(oauth.metadata());
  res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=3600", ...cors });
  res.end(req.method === "HEAD" ? undefined : body);
}
