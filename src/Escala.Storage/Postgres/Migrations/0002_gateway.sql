-- Gateway schema: endpoints (with their routing tables) and the prediction log.

CREATE TABLE endpoints (
    name         text PRIMARY KEY,
    department   text REFERENCES departments (name),
    description  text,
    routing      text NOT NULL,
    settings     text NOT NULL,
    generation   bigint NOT NULL CHECK (generation >= 1),
    created_at   text NOT NULL,
    created_by   text NOT NULL,
    updated_at   text NOT NULL
);

-- id gives the listing a stable insertion order (SQLite's rowid); lines arrive by binary COPY.
CREATE TABLE prediction_log (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    request_id      text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('served', 'shadow')),
    at              text NOT NULL,
    endpoint        text NOT NULL,
    version         text,
    department      text,
    subject         text,
    source          text NOT NULL,
    failure_reason  text,
    inputs          text NOT NULL,
    outputs         text NOT NULL,
    latency_us      bigint NOT NULL,
    comparison      text
);

CREATE INDEX prediction_log_by_request ON prediction_log (request_id);
CREATE INDEX prediction_log_by_endpoint ON prediction_log (endpoint, at);
