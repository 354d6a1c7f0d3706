/** Streamable HTTP hosting of the MCP server: bind, Host/Origin checks, bearer auth, limits, sessions. */
export { startHttpHost, MCP_PATH, HEALTH_PATH, type HttpHostOptions, type RunningHttpHost, type HttpConfig } from "./http-server.js";
export { LangSmithClients, API_KEY_HEADER, fingerprintOf, type LangSmithAccess } from "./langsmith-keys.js";
export { isLoopbackHost, DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT } from "../bind.js";
export { InFlight } from "./in-flight.js";
