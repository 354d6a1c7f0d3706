/**
 * The cold-start floor: Node plus the MCP SDK serving a server with no tools over stdio. It
 * imports what any SDK-based server must (Server, the stdio transport, the request schemas,
 * which pull in zod) and answers `tools/list` with an empty list, so the time to its first
 * answer is what no server built on this SDK can beat on this machine.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const server = new Server({ name: "empty-floor", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
process.stdin.on("end", () => process.exit(0));
await server.connect(new StdioServerTransport());
