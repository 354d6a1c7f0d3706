/**
 * Schema migrations, applied in order; `PRAGMA user_version` holds how many ran. Append only:
 * a shipped migration is never edited, a change is a new entry.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE purges (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    workspace_id TEXT,
    project_id TEXT NOT NULL,
    project_name TEXT NOT NULL,
    criteria_json TEXT NOT NULL,
    plan_digest TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    trace_count INTEGER NOT NULL,
    earliest_start_time TEXT,
    latest_start_time TEXT
  );
  CREATE TABLE purge_traces (
    purge_id TEXT NOT NULL REFERENCES purges(id),
    position INTEGER NOT NULL,
    trace_id TEXT NOT NULL,
    batch_no INTEGER NOT NULL,
    start_time TEXT NOT NULL,
    PRIMARY KEY (purge_id, position)
  );
  CREATE INDEX purge_traces_batch ON purge_traces (purge_id, batch_no);
  CREATE TABLE batches (
    purge_id TEXT NOT NULL REFERENCES purges(id),
    batch_no INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'queued', 'failed')),
    trace_count INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    sending_at TEXT,
    delete_requested_at TEXT,
    window_start TEXT,
    window_end TEXT,
    PRIMARY KEY (purge_id, batch_no)
  );
  CREATE TABLE verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    purge_id TEXT NOT NULL REFERENCES purges(id),
    at TEXT NOT NULL,
    checked INTEGER NOT NULL,
    remaining_count INTEGER NOT NULL,
    remaining_ids_json TEXT NOT NULL,
    verdict TEXT NOT NULL,
    audit TEXT,
    requests INTEGER NOT NULL
  );
  CREATE TABLE audit_matches (
    purge_id TEXT NOT NULL REFERENCES purges(id),
    batch_no INTEGER NOT NULL,
    event_uid TEXT NOT NULL,
    event_time TEXT NOT NULL,
    PRIMARY KEY (purge_id, batch_no, event_uid)
  );
  `,
  // 2: purges across projects (a project per batch and per trace, metadata-wide deletes),
  // identity scoping (scope + key fingerprint, never the key), send claims with a lease, and
  // the hash-chained event log the evidence report is built from.
  `
  ALTER TABLE purges ADD COLUMN scope TEXT;
  ALTER TABLE purges ADD COLUMN key_fingerprint TEXT;
  ALTER TABLE purge_traces ADD COLUMN project_id TEXT;
  ALTER TABLE batches ADD COLUMN project_id TEXT;
  ALTER TABLE batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'trace_ids';
  ALTER TABLE batches ADD COLUMN lease_owner TEXT;
  ALTER TABLE batches ADD COLUMN lease_until TEXT;
  ALTER TABLE verifications ADD COLUMN query TEXT;
  CREATE INDEX purges_scope ON purges (scope, created_at);
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    purge_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    body_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX events_purge ON events (purge_id, seq);
  `,
];

/**
 * The same ledger on PostgreSQL (a shared ledger for replicas), versioned the same way: the
 * table `langsmith_mcp_schema` holds how many ran, and every start applies the missing ones
 * inside one transaction under an advisory lock, so two replicas starting at once migrate once
 * (the second waits, then finds nothing to do). Append only. Version 1 is SQLite's schema 2
 * (there are no schema-1 Postgres ledgers to carry); `ordinal` orders purges created in the same
 * millisecond, as SQLite's rowid does.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE purges (
    id TEXT PRIMARY KEY,
    ordinal BIGINT GENERATED ALWAYS AS IDENTITY,
    created_at TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    workspace_id TEXT,
    project_id TEXT NOT NULL,
    project_name TEXT NOT NULL,
    criteria_json TEXT NOT NULL,
    plan_digest TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    trace_count INTEGER NOT NULL,
    earliest_start_time TEXT,
    latest_start_time TEXT,
    scope TEXT,
    key_fingerprint TEXT
  );
  CREATE INDEX purges_scope ON purges (scope, created_at);
  CREATE TABLE purge_traces (
    purge_id TEXT NOT NULL REFERENCES purges(id),
    position INTEGER NOT NULL,
    trace_id TEXT NOT NULL,
    batch_no INTEGER NOT NULL,
    start_time TEXT NOT NULL,
    project_id TEXT,
    PRIMARY KEY (purge_id, position)
  );
  CREATE INDEX purge_traces_batch ON purge_traces (purge_id, batch_no);
  CREATE TABLE batches (
    purge_id TEXT NOT NULL REFERENCES purges(id),
    batch_no INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'queued', 'failed')),
    trace_count INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    sending_at TEXT,
    delete_requested_at TEXT,
    window_start TEXT,
    window_end TEXT,
    project_id TEXT,
    kind TEXT NOT NULL DEFAULT 'trace_ids',
    lease_owner TEXT,
    lease_until TEXT,
    PRIMARY KEY (purge_id, batch_no)
  );
  CREATE TABLE verifications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purge_id TEXT NOT NULL REFERENCES purges(id),
    at TEXT NOT NULL,
    checked INTEGER NOT NULL,
    remaining_count INTEGER NOT NULL,
    remaining_ids_json TEXT NOT NULL,
    verdict TEXT NOT NULL,
    audit TEXT,
    requests INTEGER NOT NULL,
    query TEXT
  );
  CREATE INDEX verifications_purge ON verifications (purge_id, id);
  CREATE TABLE audit_matches (
    purge_id TEXT NOT NULL REFERENCES purges(id),
    batch_no INTEGER NOT NULL,
    event_uid TEXT NOT NULL,
    event_time TEXT NOT NULL,
    PRIMARY KEY (purge_id, batch_no, event_uid)
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    purge_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    body_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX events_purge ON events (purge_id, seq);
  `,
];
