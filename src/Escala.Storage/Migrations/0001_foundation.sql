-- Foundation schema: departments, API keys, the model registry, approvals and the audit chain.
-- Plain types (TEXT, INTEGER) so the same shape ports to PostgreSQL; timestamps are fixed-format
-- UTC text (yyyy-MM-ddTHH:mm:ss.fffffffZ), booleans 0/1, JSON documents as TEXT.

CREATE TABLE departments (
    name          TEXT PRIMARY KEY,
    display_name  TEXT,
    headcount     INTEGER NOT NULL CHECK (headcount >= 0),
    champion      TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'scientist', 'approver', 'operator', 'admin')),
    secret_hash   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    revoked_at    TEXT
);

CREATE TABLE api_key_departments (
    key_id        TEXT NOT NULL REFERENCES api_keys (id),
    department    TEXT NOT NULL REFERENCES departments (name),
    PRIMARY KEY (key_id, department)
);

CREATE TABLE models (
    name              TEXT PRIMARY KEY,
    description       TEXT,
    department        TEXT REFERENCES departments (name),
    require_approval  INTEGER NOT NULL CHECK (require_approval IN (0, 1)),
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE TABLE model_versions (
    model             TEXT NOT NULL REFERENCES models (name),
    version           INTEGER NOT NULL CHECK (version >= 1),
    artifact_sha256   TEXT NOT NULL,
    size_bytes        INTEGER NOT NULL,
    description       TEXT,
    metrics           TEXT NOT NULL,
    params            TEXT NOT NULL,
    tags              TEXT NOT NULL,
    data_fingerprint  TEXT,
    pipeline_run      TEXT,
    code_revision     TEXT,
    parent_model      TEXT,
    parent_version    INTEGER,
    signature         TEXT,
    stage             TEXT NOT NULL CHECK (stage IN ('none', 'staging', 'production', 'archived')),
    stage_changed_at  TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (parent_model, parent_version) REFERENCES model_versions (model, version)
);

CREATE INDEX model_versions_by_fingerprint ON model_versions (data_fingerprint);
CREATE INDEX model_versions_by_run ON model_versions (pipeline_run);
CREATE INDEX model_versions_by_revision ON model_versions (code_revision);
CREATE INDEX model_versions_by_parent ON model_versions (parent_model, parent_version);
CREATE INDEX model_versions_by_artifact ON model_versions (artifact_sha256);

CREATE TABLE model_aliases (
    model       TEXT NOT NULL REFERENCES models (name),
    alias       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (model, alias),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE model_cards (
    model       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    markdown    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE approval_requests (
    id                 INTEGER PRIMARY KEY,
    model              TEXT NOT NULL,
    version            INTEGER NOT NULL,
    from_stage         TEXT NOT NULL,
    to_stage           TEXT NOT NULL,
    requested_by       TEXT NOT NULL,
    requested_by_name  TEXT NOT NULL,
    requested_at       TEXT NOT NULL,
    comment            TEXT,
    status             TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by         TEXT,
    decided_by_name    TEXT,
    decided_at         TEXT,
    decision_comment   TEXT,
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

-- At most one pending request per version (partial unique index: SQLite and PostgreSQL both have them).
CREATE UNIQUE INDEX approval_requests_one_pending ON approval_requests (model, version) WHERE status = 'pending';
CREATE INDEX approval_requests_by_status ON approval_requests (status, id);

-- The audit chain: seq is assigned by the writer (last + 1) under the write lock; each row carries
-- the hash of the row before it and its own hash.
CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    before_json    TEXT,
    after_json     TEXT,
    previous_hash  TEXT NOT NULL,
    hash           TEXT NOT NULL
);

CREATE INDEX audit_log_by_subject ON audit_log (subject, seq);

-- Defence in depth (the hash chain is what proves integrity): the application never updates or
-- deletes audit rows or version identity, and these triggers refuse it if anything tries.
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER model_versions_immutable BEFORE UPDATE ON model_versions
WHEN NEW.model IS NOT OLD.model OR NEW.version IS NOT OLD.version OR NEW.artifact_sha256 IS NOT OLD.artifact_sha256
  OR NEW.size_bytes IS NOT OLD.size_bytes OR NEW.description IS NOT OLD.description OR NEW.metrics IS NOT OLD.metrics
  OR NEW.params IS NOT OLD.params OR NEW.tags IS NOT OLD.tags OR NEW.data_fingerprint IS NOT OLD.data_fingerprint
  OR NEW.pipeline_run IS NOT OLD.pipeline_run OR NEW.code_revision IS NOT OLD.code_revision
  OR NEW.parent_model IS NOT OLD.parent_model OR NEW.parent_version IS NOT OLD.parent_version
  OR NEW.signature IS NOT OLD.signature OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'model versions are immutable; only their stage changes');
END;

CREATE TRIGGER model_versions_never_deleted BEFORE DELETE ON model_versions
BEGIN
    SELECT RAISE(ABORT, 'model versions are never deleted; archive them');
END;
