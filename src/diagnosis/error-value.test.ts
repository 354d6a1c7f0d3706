import { describe, expect, it } from "vitest";
import { classifyErrorText } from "./classify-error.js";
import { errorValueText } from "./error-value.js";

describe("errorValueText: a run's recorded error of any JSON type, as text", () => {
  it.each([
    ["text as it is", "Connection reset by peer", "Connection reset by peer"],
    [
      "an object's type and message, then its other fields",
      { message: "Access Denied", type: "ClientError", retry_number: 2 },
      'ClientError: Access Denied {"retry_number":2}',
    ],
    ["a message alone", { message: "worker shut down" }, "worker shut down"],
    ["a type alone, then the rest", { type: "WorkerShutdown", detail: { pod: "q-1" } }, 'WorkerShutdown {"detail":{"pod":"q-1"}}'],
    ["an object without message or type as compact JSON", { code: 137, reason: "OOMKilled" }, '{"code":137,"reason":"OOMKilled"}'],
    ["a non-string message as JSON", { message: { error: "x" }, type: "E" }, 'E: {"error":"x"}'],
    ["a number", 503, "503"],
    ["a boolean", false, "false"],
    ["a list as compact JSON", ["a", 1], '["a",1]'],
  ])("reads %s", (_what, value, text) => {
    expect(errorValueText(value)).toBe(text);
  });

  it.each([null, undefined, "", "   ", {}, []])("reads %j as no error", (value) => {
    expect(errorValueText(value)).toBeNull();
  });

  it("classifies an error object like the same text", () => {
    const text = errorValueText({
      message: "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
      type: "ClientError",
    })!;
    expect(classifyErrorText(text).mode).toBe("destination_error");
    expect(classifyErrorText(errorValueText({ type: "WorkerShutdown" })!).mode).toBe("infrastructure_interruption");
  });
});
