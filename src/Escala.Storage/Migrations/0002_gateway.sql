-- Gateway schema: endpoints (with their routing tables) and the prediction log.
-- Same conventions as 0001: plain types, UTC timestamps as fixed-format text, JSON as TEXT.

CREATE TABLE endpoints (
    name         TEXT PRIMARY KEY,
    department   TEXT REFERENCES departments (name),
    description  TEXT,
    routing      TEXT NOT NULL,
    settings     TEXT NOT NULL,
    generation   INTEGER NOT NULL CHECK (generation >= 1),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- One row per answer: the one returned to the caller (kind 'served') and any shadow's (kind 'shadow').
-- No foreign key to endpoints: the log outlives endpoint changes and inserts stay cheap.
CREATE TABLE prediction_log (
    request_id      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('served', 'shadow')),
    at              TEXT NOT NULL,
    endpoint        TEXT NOT NULL,
    version         TEXT,
    department      TEXT,
    subject         TEXT,
    source          TEXT NOT NULL,
    failure_reason  TEXT,
    inputs          TEXT NOT NULL,
    outputs         TEXT NOT NULL,
    latency_us      INTEGER NOT NULL,
    comparison      TEXT
);

-- Two indexes only: every index is one more B-tree insert per logged prediction. Retention deletes
-- endpoint by endpoint through the second one.
CREATE INDEX prediction_log_by_request ON prediction_log (request_id);
CREATE INDEX prediction_log_by_endpoint ON prediction_log (endpoint, at);
