-- Monitoring: baselines stored with versions, per-endpoint settings, alert rules with their states and
-- history, closed drift windows with their reports, hourly request counts (uptime survives restarts) and
-- ground-truth feedback joined to the prediction log. Same conventions as 0001: plain types, UTC text
-- timestamps, JSON as TEXT. Endpoint names are not foreign keys: settings and rules may be written for an
-- endpoint before it serves, and history outlives a rule.

CREATE TABLE model_baselines (
    model       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('reference', 'predictions')),
    row_count   INTEGER NOT NULL CHECK (row_count >= 0),
    profile     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE monitoring_settings (
    endpoint    TEXT PRIMARY KEY,
    settings    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

CREATE TABLE alert_rules (
    id          INTEGER PRIMARY KEY,
    endpoint    TEXT NOT NULL,
    name        TEXT NOT NULL,
    spec        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (endpoint, name)
);

CREATE TABLE alert_states (
    rule_id     INTEGER NOT NULL REFERENCES alert_rules (id),
    series      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('inactive', 'pending', 'firing', 'resolving')),
    since       TEXT NOT NULL,
    fired_at    TEXT,
    last_value  REAL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (rule_id, series)
);

CREATE TABLE alert_events (
    id          INTEGER PRIMARY KEY,
    rule_id     INTEGER NOT NULL,
    rule        TEXT NOT NULL,
    endpoint    TEXT NOT NULL,
    series      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('fired', 'resolved')),
    severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    metric      TEXT NOT NULL,
    value       REAL,
    threshold   REAL NOT NULL,
    at          TEXT NOT NULL,
    fired_at    TEXT NOT NULL,
    detail      TEXT,
    delivery    TEXT NOT NULL CHECK (delivery IN ('none', 'pending', 'delivered', 'failed')),
    attempts    INTEGER NOT NULL,
    last_error  TEXT
);

CREATE INDEX alert_events_by_endpoint ON alert_events (endpoint, id);

CREATE TABLE drift_windows (
    id                  INTEGER PRIMARY KEY,
    endpoint            TEXT NOT NULL,
    target              TEXT NOT NULL,
    window_start        TEXT NOT NULL,
    window_end          TEXT NOT NULL,
    row_count           INTEGER NOT NULL,
    drifted_share       REAL NOT NULL,
    drifted_features    TEXT NOT NULL,
    prediction_drifted  INTEGER NOT NULL CHECK (prediction_drifted IN (0, 1)),
    report              TEXT NOT NULL,
    window              TEXT NOT NULL
);

CREATE INDEX drift_windows_by_target ON drift_windows (endpoint, target, id);
CREATE INDEX drift_windows_by_end ON drift_windows (endpoint, window_end);

CREATE TABLE request_counts (
    endpoint    TEXT NOT NULL,
    target      TEXT NOT NULL,
    department  TEXT NOT NULL,
    hour        TEXT NOT NULL,
    requests    INTEGER NOT NULL,
    errors      INTEGER NOT NULL,
    fallbacks   INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    PRIMARY KEY (endpoint, target, department, hour)
);

CREATE TABLE feedback (
    endpoint         TEXT NOT NULL,
    request_id       TEXT NOT NULL,
    row_index        INTEGER NOT NULL CHECK (row_index >= 0),
    target           TEXT NOT NULL,
    department       TEXT,
    predicted_at     TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    task             TEXT NOT NULL CHECK (task IN ('binary', 'multiclass', 'regression')),
    actual_label     TEXT,
    actual_value     REAL,
    predicted_label  TEXT,
    predicted_value  REAL,
    probability      REAL,
    PRIMARY KEY (endpoint, request_id, row_index)
);

CREATE INDEX feedback_by_time ON feedback (endpoint, predicted_at);
