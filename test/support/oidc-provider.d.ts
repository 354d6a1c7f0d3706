/**
 * The few parts of `oidc-provider` (which ships no types; no @types package is installed) that
 * test/support/authorization-server.ts uses.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  interface ResourceServerInfo {
    scope: string;
    audience: string;
    accessTokenFormat: "jwt" | "opaque";
    accessTokenTTL?: number;
    jwt?: { sign?: { alg: string } };
  }

  interface Configuration {
    clients: Record<string, unknown>[];
    jwks: { keys: Record<string, unknown>[] };
    ttl?: Record<string, number>;
    features: {
      devInteractions?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: unknown, client: { clientId: string }) => string | undefined;
        getResourceServerInfo: (ctx: unknown, resourceIndicator: string, client: { clientId: string }) => ResourceServerInfo;
      };
    };
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
