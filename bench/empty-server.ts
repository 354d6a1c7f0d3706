import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { Server } from "@modelcontextprotocol/server";

const server = new Server({ name: "empty-floor", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler("tools/list", () => ({ tools: [] }));
process.stdin.on("end", () => process.exit(0));
await server.connect(new StdioServerTransport());
