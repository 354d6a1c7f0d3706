/**
 * Small helpers for code that drives a running simulator over HTTP (tests, demo, bench):
 * authenticated JSON calls and the `/_sim` control API. Plain fetch, no client library.
 */
export interface SimHttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface SimTarget {
  url: string;
  apiKey: string;
}

async function call<T>(url: string, init: RequestInit): Promise<SimHttpResult<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** An authenticated API call; `headers` may override or drop (undefined) the defaults. */
// biome-ignore lint/suspicious/noExplicitAny: a test helper over untyped JSON; callers name T where they rely on a shape
export function apiCall<T = any>(
  sim: SimTarget,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<SimHttpResult<T>> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ "x-api-key": sim.apiKey, "content-type": "application/json", ...headers }))
    if (v !== undefined) merged[k] = v;
  return call<T>(`${sim.url}${path}`, {
    method,
    headers: merged,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

/** A call to the `/_sim` control API (no auth). */
// biome-ignore lint/suspicious/noExplicitAny: a test helper over untyped JSON; callers name T where they rely on a shape
export function control<T = any>(sim: { url: string }, method: string, path: string, body?: unknown): Promise<SimHttpResult<T>> {
  return call<T>(`${sim.url}/_sim/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
