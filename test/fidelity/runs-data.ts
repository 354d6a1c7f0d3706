/**
 * The same three runs written by hand twice: as the v2 API returns them (seed 004, spec
 * `query.RunResponse`: upper-case enums, numeric costs, RFC 3339 times with microseconds) and
 * as v1 does (spec `RunSchema`: lower-case enums, decimal-string costs, naive UTC times).
 * One has a status newer than the spec's enum. The compact view an agent gets is written out too.
 */
export const PROJECT = "018e4c7e-a9fb-7ef0-a5b6-6ea3a82e9327";
export const TENANT = "0190a1b2-c3d4-7ef0-a5b6-6ea3a82e9328";
export const R1 = "4bf92f35-77b3-4da6-a3ce-929d0e0e4736";
export const R2 = "0af76519-16cd-03ad-00f0-67aa0ba902b7";
export const R3 = "f47ac10b-58cc-4372-a567-0e02b2c3d479";
export const CHILD = "a1b2c3d4-e5f6-4a5b-8c9d-0e1f2a3b4c5d";

export const SESSION = { id: PROJECT, tenant_id: TENANT, name: "support-bot", start_time: "2026-01-01T00:00:00.000001" };

export const V2 = {
  r1: {
    id: R1,
    name: "agent",
    run_type: "CHAIN",
    status: "SUCCESS",
    start_time: "2026-11-29T10:00:00.123456Z",
    end_time: "2026-11-29T10:00:01.623456Z",
    latency_seconds: 1.5,
    total_tokens: 30,
    total_cost: 0.0003,
    error_preview: null,
    trace_id: R1,
    is_root: true,
  },
  r2: {
    id: R2,
    name: "search",
    run_type: "RETRIEVER",
    status: "QUEUED",
    start_time: "2026-11-29T09:59:59.000001Z",
    end_time: null,
    latency_seconds: null,
    total_tokens: null,
    total_cost: null,
    error_preview: null,
    trace_id: R2,
    is_root: true,
  },
  r3: {
    id: R3,
    name: "pay",
    run_type: "TOOL",
    status: "ERROR",
    start_time: "2026-11-29T09:00:00Z",
    end_time: "2026-11-29T09:00:02.5Z",
    latency_seconds: 2.5,
    total_tokens: 0,
    total_cost: 0,
    error_preview: "card declined",
    trace_id: R3,
    is_root: true,
  },
};

export const V1 = {
  r1: {
    id: R1,
    name: "agent",
    run_type: "chain",
    status: "success",
    start_time: "2026-11-29T10:00:00.123456",
    end_time: "2026-11-29T10:00:01.623456",
    total_tokens: 30,
    total_cost: "0.0003",
    error: null,
    trace_id: R1,
    parent_run_id: null,
    session_id: PROJECT,
    dotted_order: "20261129T100000123456Z4bf92f35-77b3-4da6-a3ce-929d0e0e4736",
    app_path: "/",
    parent_run_ids: [],
  },
  r2: {
    id: R2,
    name: "search",
    run_type: "retriever",
    status: "queued",
    start_time: "2026-11-29T09:59:59.000001",
    end_time: null,
    total_tokens: null,
    total_cost: null,
    error: null,
    trace_id: R2,
    parent_run_id: null,
    session_id: PROJECT,
    dotted_order: "x",
    app_path: "/",
  },
  r3: {
    id: R3,
    name: "pay",
    run_type: "tool",
    status: "error",
    start_time: "2026-11-29T09:00:00",
    end_time: "2026-11-29T09:00:02.500000",
    total_tokens: 0,
    total_cost: "0.0000",
    error: "card declined",
    trace_id: R3,
    parent_run_id: null,
    session_id: PROJECT,
    dotted_order: "y",
    app_path: "/",
  },
};

/** What query_runs shows for each (compact fields), written by hand: null (not recorded) is not shown. */
export const SHOWN = {
  r1: {
    id: R1,
    name: "agent",
    run_type: "chain",
    status: "success",
    start_time: "2026-11-29T10:00:00.123456Z",
    end_time: "2026-11-29T10:00:01.623456Z",
    latency_seconds: 1.5,
    total_tokens: 30,
    total_cost: 0.0003,
    trace_id: R1,
    is_root: true,
  },
  r2: {
    id: R2,
    name: "search",
    run_type: "retriever",
    status: "queued",
    start_time: "2026-11-29T09:59:59.000001Z",
    trace_id: R2,
    is_root: true,
  },
  r3: {
    id: R3,
    name: "pay",
    run_type: "tool",
    status: "error",
    start_time: "2026-11-29T09:00:00.000Z",
    end_time: "2026-11-29T09:00:02.500Z",
    latency_seconds: 2.5,
    total_tokens: 0,
    total_cost: 0,
    error_preview: "card declined",
    trace_id: R3,
    is_root: true,
  },
};

/** FastAPI's answer for a path it has no route for: what a LangSmith before 0.16 says to /api/v2/…. */
export const ROUTE_NOT_FOUND = { detail: "Not Found" };

/** A v2 problem document about a run that is not there: not a missing route. */
export const RUN_NOT_FOUND = { type: "about:blank", title: "Not Found", status: 404, detail: "run not found", instance: "/api/v2/runs/x" };
