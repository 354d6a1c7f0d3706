/**
 * LANGSMITH_ENDPOINT comes in many spellings: the cloud API host (US, EU), a self-hosted
 * install's API URL with or without `/api` or `/api/v1`, trailing slashes. All normalise to
 * one base; the client then appends `/api/v1/…` or `/api/v2/…`.
 */
import { ConfigurationError } from "../errors.js";

export const DEFAULT_ENDPOINT = "https://api.smith.langchain.com";

const ENDPOINT_HINT =
  "Set LANGSMITH_ENDPOINT to the LangSmith API URL, e.g. https://api.smith.langchain.com, https://eu.api.smith.langchain.com, or your " +
  "self-hosted install's URL such as https://langsmith.example.com/api/v1.";

/** Suffixes that name the API root rather than the deployment; stripped so both spellings work. */
const API_ROOT_SUFFIX = /\/api(?:\/v[12])?$/i;

/**
 * Returns the normalised base URL (scheme, host, optional path prefix; no trailing slash),
 * e.g. `https://ls.example.com/api/v1/` → `https://ls.example.com`.
 * @throws ConfigurationError when the value is not an http(s) URL we can use.
 */
export function normaliseEndpoint(raw: string | undefined): string {
  const value = (raw ?? "").trim() || DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError("LANGSMITH_ENDPOINT is not a valid URL.", ENDPOINT_HINT);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`LANGSMITH_ENDPOINT must use http or https, not ${url.protocol.replace(/:$/, "")}.`, ENDPOINT_HINT);
  }
  if (url.username || url.password) {
    throw new ConfigurationError("LANGSMITH_ENDPOINT must not contain credentials; the API key goes in LANGSMITH_API_KEY.", ENDPOINT_HINT);
  }
  if (url.search || url.hash) {
    throw new ConfigurationError("LANGSMITH_ENDPOINT must not contain a query string or fragment.", ENDPOINT_HINT);
  }
  const path = url.pathname.replace(/\/+$/, "").replace(API_ROOT_SUFFIX, "").replace(/\/+$/, "");
  return `${url.origin}${path}`;
}
