-- Organisation rollout: use cases, rollout plans, durable usage counters (pre-aggregated per day so adoption
-- and cost queries read thousands of rows, not millions of predictions), pseudonymous active users (one row per user),
-- satisfaction ratings, cost models, budgets and capacity tests. Days are whole days since 1970-01-01 (UTC),
-- so a week is (day + 3) / 7 (weeks start on Monday) and grouping needs no date functions.

CREATE TABLE use_cases (
    name                  TEXT PRIMARY KEY,
    description           TEXT,
    owner_department      TEXT REFERENCES departments (name),
    endpoints             TEXT NOT NULL,
    departments           TEXT NOT NULL,
    value_per_prediction  TEXT NOT NULL,
    value_unit            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);

CREATE TABLE rollout_plans (
    name        TEXT PRIMARY KEY,
    use_case    TEXT NOT NULL REFERENCES use_cases (name),
    endpoint    TEXT NOT NULL REFERENCES endpoints (name),
    plan        TEXT NOT NULL,
    generation  INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE usage_daily (
    day          INTEGER NOT NULL,
    department   TEXT NOT NULL,
    endpoint     TEXT NOT NULL,
    target       TEXT NOT NULL,
    predictions  INTEGER NOT NULL CHECK (predictions >= 0),
    errors       INTEGER NOT NULL CHECK (errors >= 0),
    PRIMARY KEY (day, department, endpoint, target)
);

-- The same counts per Monday-based week: reports over weeks read 7 times fewer rows.
CREATE TABLE usage_weekly (
    week         INTEGER NOT NULL,
    department   TEXT NOT NULL,
    endpoint     TEXT NOT NULL,
    target       TEXT NOT NULL,
    predictions  INTEGER NOT NULL CHECK (predictions >= 0),
    errors       INTEGER NOT NULL CHECK (errors >= 0),
    PRIMARY KEY (week, department, endpoint, target)
);

-- Pseudonymous users (user_key = HMAC-SHA256(installation secret, user id); the id itself is never stored), kept so
-- distinct users are counted from one row per user rather than one per request or day: when each was last active in
-- a department (depth over 7 and 28 days), on an endpoint (use cases' users), and in which weeks (the weekly trend).
CREATE TABLE usage_user_last_seen (
    department  TEXT NOT NULL,
    user_key    TEXT NOT NULL,
    last_day    INTEGER NOT NULL,
    PRIMARY KEY (department, user_key)
);

CREATE INDEX usage_user_last_seen_by_day ON usage_user_last_seen (last_day, department);

CREATE TABLE usage_endpoint_users (
    department  TEXT NOT NULL,
    endpoint    TEXT NOT NULL,
    user_key    TEXT NOT NULL,
    last_day    INTEGER NOT NULL,
    PRIMARY KEY (department, endpoint, user_key)
);

CREATE INDEX usage_endpoint_users_by_day ON usage_endpoint_users (last_day, department, endpoint);

CREATE TABLE usage_user_weeks (
    week        INTEGER NOT NULL,
    department  TEXT NOT NULL,
    user_key    TEXT NOT NULL,
    PRIMARY KEY (week, department, user_key)
);

-- Distinct users per week and department, counted when a user's first row of the week is inserted above.
CREATE TABLE usage_week_users (
    week        INTEGER NOT NULL,
    department  TEXT NOT NULL,
    users       INTEGER NOT NULL CHECK (users >= 0),
    PRIMARY KEY (week, department)
);

CREATE TABLE satisfaction (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint    TEXT NOT NULL,
    request_id  TEXT,
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     TEXT,
    user_key    TEXT,
    department  TEXT,
    target      TEXT,
    at          TEXT NOT NULL
);

CREATE INDEX satisfaction_by_endpoint ON satisfaction (endpoint, at);

CREATE TABLE cost_models (
    scope       TEXT PRIMARY KEY,
    model       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE department_budgets (
    department  TEXT PRIMARY KEY REFERENCES departments (name),
    monthly     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE capacity_tests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint     TEXT NOT NULL,
    target       TEXT NOT NULL,
    result       TEXT NOT NULL,
    measured_at  TEXT NOT NULL
);

CREATE INDEX capacity_tests_by_target ON capacity_tests (target, id);

CREATE TABLE installation_secrets (
    name        TEXT PRIMARY KEY,
    secret      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
