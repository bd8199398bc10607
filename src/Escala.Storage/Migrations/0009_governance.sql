-- Governance: explanation backgrounds (a sample of each version's baseline reference table), fairness reports,
-- personal-data policies of the prediction log, retention and erasure. Same conventions as 0001: plain types, UTC
-- text timestamps, JSON as TEXT.

CREATE TABLE explanation_backgrounds (
    model       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    csv         TEXT NOT NULL,
    row_count   INTEGER NOT NULL CHECK (row_count > 0),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE fairness_evaluations (
    id          INTEGER PRIMARY KEY,
    model       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    evaluation  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE INDEX fairness_evaluations_by_version ON fairness_evaluations (model, version, id);

CREATE TABLE privacy_policies (
    endpoint    TEXT PRIMARY KEY,
    policy      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- Erasure finds a subject's lines by their (hashed) subject key.
CREATE INDEX prediction_log_by_subject ON prediction_log (endpoint, subject);
