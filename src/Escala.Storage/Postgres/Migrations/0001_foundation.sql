-- PostgreSQL foundation schema: the same tables as SQLite's 0001-0003 (departments, keys, registry,
-- approvals, audit chain, endpoints, prediction log, monitoring), in PostgreSQL's types. Timestamps stay
-- fixed-format UTC text (yyyy-MM-ddTHH:mm:ss.fffffffZ): exact to 100 ns, sortable, and the very text the
-- audit chain hashes. JSON documents stay text: what was written is what is read back.

CREATE TABLE departments (
    name          text PRIMARY KEY,
    display_name  text,
    headcount     integer NOT NULL CHECK (headcount >= 0),
    champion      text,
    created_at    text NOT NULL,
    updated_at    text NOT NULL
);

CREATE TABLE api_keys (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    role          text NOT NULL CHECK (role IN ('viewer', 'scientist', 'approver', 'operator', 'admin')),
    secret_hash   text NOT NULL,
    created_at    text NOT NULL,
    created_by    text NOT NULL,
    revoked_at    text
);

CREATE TABLE api_key_departments (
    key_id        text NOT NULL REFERENCES api_keys (id),
    department    text NOT NULL REFERENCES departments (name),
    PRIMARY KEY (key_id, department)
);

CREATE TABLE models (
    name              text PRIMARY KEY,
    description       text,
    department        text REFERENCES departments (name),
    require_approval  boolean NOT NULL,
    created_at        text NOT NULL,
    created_by        text NOT NULL,
    updated_at        text NOT NULL
);

CREATE TABLE model_versions (
    model             text NOT NULL REFERENCES models (name),
    version           integer NOT NULL CHECK (version >= 1),
    artifact_sha256   text NOT NULL,
    size_bytes        bigint NOT NULL,
    description       text,
    metrics           text NOT NULL,
    params            text NOT NULL,
    tags              text NOT NULL,
    data_fingerprint  text,
    pipeline_run      text,
    code_revision     text,
    parent_model      text,
    parent_version    integer,
    signature         text,
    stage             text NOT NULL CHECK (stage IN ('none', 'staging', 'production', 'archived')),
    stage_changed_at  text NOT NULL,
    created_at        text NOT NULL,
    created_by        text NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (parent_model, parent_version) REFERENCES model_versions (model, version)
);

CREATE INDEX model_versions_by_fingerprint ON model_versions (data_fingerprint);
CREATE INDEX model_versions_by_run ON model_versions (pipeline_run);
CREATE INDEX model_versions_by_revision ON model_versions (code_revision);
CREATE INDEX model_versions_by_parent ON model_versions (parent_model, parent_version);
CREATE INDEX model_versions_by_artifact ON model_versions (artifact_sha256);

CREATE TABLE model_aliases (
    model       text NOT NULL REFERENCES models (name),
    alias       text NOT NULL,
    version     integer NOT NULL,
    updated_at  text NOT NULL,
    updated_by  text NOT NULL,
    PRIMARY KEY (model, alias),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE model_cards (
    model       text NOT NULL,
    version     integer NOT NULL,
    markdown    text NOT NULL,
    updated_at  text NOT NULL,
    updated_by  text NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE approval_requests (
    id                 bigint PRIMARY KEY,
    model              text NOT NULL,
    version            integer NOT NULL,
    from_stage         text NOT NULL,
    to_stage           text NOT NULL,
    requested_by       text NOT NULL,
    requested_by_name  text NOT NULL,
    requested_at       text NOT NULL,
    comment            text,
    status             text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by         text,
    decided_by_name    text,
    decided_at         text,
    decision_comment   text,
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE UNIQUE INDEX approval_requests_one_pending ON approval_requests (model, version) WHERE status = 'pending';
CREATE INDEX approval_requests_by_status ON approval_requests (status, id);

-- The audit chain: seq is assigned by the writer (last + 1) under the control-plane advisory lock.
CREATE TABLE audit_log (
    seq            bigint PRIMARY KEY,
    at             text NOT NULL,
    actor          text NOT NULL,
    action         text NOT NULL,
    subject        text NOT NULL,
    before_json    text,
    after_json     text,
    previous_hash  text NOT NULL,
    hash           text NOT NULL
);

CREATE INDEX audit_log_by_subject ON audit_log (subject, seq);

-- Defence in depth, as in SQLite: the chain proves integrity, these refuse the obvious tampering.
CREATE FUNCTION escala_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION escala_refuse('the audit log is append-only');

CREATE FUNCTION escala_model_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'stage' - 'stage_changed_at') IS DISTINCT FROM (to_jsonb(OLD) - 'stage' - 'stage_changed_at') THEN
        RAISE EXCEPTION 'model versions are immutable; only their stage changes';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER model_versions_immutable BEFORE UPDATE ON model_versions
    FOR EACH ROW EXECUTE FUNCTION escala_model_version_immutable();

CREATE TRIGGER model_versions_never_deleted BEFORE DELETE OR TRUNCATE ON model_versions
    FOR EACH STATEMENT EXECUTE FUNCTION escala_refuse('model versions are never deleted; archive them');
