/** Query-string validation with FastAPI's 422 error shape, shared by the v1 route tables. */
import { v1Validation } from "../http.js";

export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max?: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) {
    throw v1Validation({
      loc: ["query", name],
      msg: "Input should be a valid integer, unable to parse string as an integer",
      type: "int_parsing",
    });
  }
  if (n < min)
    throw v1Validation({ loc: ["query", name], msg: `Input should be greater than or equal to ${min}`, type: "greater_than_equal" });
  if (max !== undefined && n > max)
    throw v1Validation({ loc: ["query", name], msg: `Input should be less than or equal to ${max}`, type: "less_than_equal" });
  return n;
}

export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const v = raw.toLowerCase();
  if (["true", "1", "yes", "on"].includes(v)) return true;
  if (["false", "0", "no", "off"].includes(v)) return false;
  throw v1Validation({ loc: ["query", name], msg: "Input should be a valid boolean, unable to interpret input", type: "bool_parsing" });
}
