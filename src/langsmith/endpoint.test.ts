import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors.js";
import { normaliseEndpoint } from "./endpoint.js";

describe("normaliseEndpoint", () => {
  it.each([
    ["https://api.smith.langchain.com", "https://api.smith.langchain.com"],
    ["https://api.smith.langchain.com/", "https://api.smith.langchain.com"],
    ["https://eu.api.smith.langchain.com", "https://eu.api.smith.langchain.com"],
    ["https://ls.example.com/api/v1", "https://ls.example.com"],
    ["https://ls.example.com/api/v1/", "https://ls.example.com"],
    ["https://ls.example.com/api", "https://ls.example.com"],
    ["https://ls.example.com/api/v2//", "https://ls.example.com"],
    ["https://ls.example.com/langsmith/api/v1", "https://ls.example.com/langsmith"],
    ["http://127.0.0.1:4111", "http://127.0.0.1:4111"],
    ["  https://ls.example.com:8443/api/  ", "https://ls.example.com:8443"],
    ["HTTPS://LS.EXAMPLE.COM/API/V1", "https://ls.example.com"],
  ])("%s → %s", (raw, base) => {
    expect(normaliseEndpoint(raw)).toBe(base);
  });

  it("defaults to the US cloud when unset", () => {
    expect(normaliseEndpoint(undefined)).toBe("https://api.smith.langchain.com");
    expect(normaliseEndpoint("")).toBe("https://api.smith.langchain.com");
  });

  it.each([
    ["not a url", /not a valid URL/],
    ["ftp://ls.example.com", /must use http or https, not ftp/],
    ["https://user:pw@ls.example.com", /must not contain credentials/],
    ["https://ls.example.com/api?x=1", /query string/],
  ])("rejects %s with a ConfigurationError and a hint", (raw, message) => {
    let error: unknown;
    try {
      normaliseEndpoint(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(message);
    expect((error as ConfigurationError).message).not.toContain("pw");
    expect((error as ConfigurationError).hint).toContain("LANGSMITH_ENDPOINT");
  });
});
