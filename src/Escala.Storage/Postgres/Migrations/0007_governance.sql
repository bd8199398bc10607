-- Governance, as SQLite's 0009_governance.sql: explanation backgrounds (a sample of each version's baseline reference
-- table), fairness evaluations, personal-data policies of the prediction log; erasure finds a subject's lines by key.

CREATE TABLE explanation_backgrounds (
    model       text NOT NULL,
    version     integer NOT NULL,
    csv         text NOT NULL,
    row_count   integer NOT NULL CHECK (row_count > 0),
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE fairness_evaluations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model       text NOT NULL,
    version     integer NOT NULL,
    evaluation  text NOT NULL,
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE INDEX fairness_evaluations_by_version ON fairness_evaluations (model, version, id);

CREATE TABLE privacy_policies (
    endpoint    text PRIMARY KEY,
    policy      text NOT NULL,
    updated_at  text NOT NULL,
    updated_by  text NOT NULL
);

CREATE INDEX prediction_log_by_subject ON prediction_log (endpoint, subject);
