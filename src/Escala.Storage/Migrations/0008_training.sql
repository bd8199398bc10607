-- Continuous training: datasets (CSV bytes in the artifact store), pipelines, their runs and steps.
-- Same conventions as 0001: plain types, UTC timestamps as fixed-format text, JSON as TEXT.

CREATE TABLE datasets (
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    artifact    TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    columns     TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    PRIMARY KEY (name, version)
);

-- Every applied revision is kept: a run reads the revision it was queued with.
CREATE TABLE pipelines (
    name        TEXT NOT NULL,
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    source      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (name, revision)
);

CREATE TABLE pipeline_runs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline          TEXT NOT NULL,
    revision          INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    trigger           TEXT NOT NULL,
    parameters        TEXT NOT NULL,
    identity          TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    ended_at          TEXT,
    failed_step       TEXT,
    reason            TEXT,
    cancel_requested  INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (pipeline, revision) REFERENCES pipelines (name, revision)
);

CREATE INDEX pipeline_runs_by_pipeline ON pipeline_runs (pipeline, id);
CREATE INDEX pipeline_runs_by_status ON pipeline_runs (status, id);

CREATE TABLE pipeline_steps (
    run_id          INTEGER NOT NULL REFERENCES pipeline_runs (id),
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,
    position        INTEGER NOT NULL,
    status          TEXT NOT NULL,
    started_at      TEXT,
    ended_at        TEXT,
    input_hash      TEXT,
    inputs          TEXT,
    outputs         TEXT,
    log             TEXT NOT NULL,
    cached_from     INTEGER,
    reason          TEXT,
    PRIMARY KEY (run_id, name)
);

CREATE INDEX pipeline_steps_by_hash ON pipeline_steps (name, input_hash);
