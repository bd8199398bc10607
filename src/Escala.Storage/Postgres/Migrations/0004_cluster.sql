-- What several nodes share beyond the tables above: the artifact store (content-addressed, chunked)
-- and the change log that tells every node what to reload.

-- An artifact is its SHA-256; its bytes are chunks of at most 1 MiB in order. EXTERNAL storage: model
-- files do not compress, so PostgreSQL should not spend CPU trying.
CREATE TABLE artifacts (
    sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    chunk_count  integer NOT NULL CHECK (chunk_count >= 0),
    created_at   text NOT NULL
);

CREATE TABLE artifact_chunks (
    sha256  text NOT NULL REFERENCES artifacts (sha256) ON DELETE CASCADE,
    chunk   integer NOT NULL CHECK (chunk >= 0),
    data    bytea NOT NULL,
    PRIMARY KEY (sha256, chunk)
);

ALTER TABLE artifact_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Every change that nodes cache (routing, keys, monitoring settings, baselines, alert rules) appends a
-- row here in the change's transaction, under the control-plane lock, so revisions follow commit order
-- without gaps; origin names the node that made it (it has applied it already). NOTIFY escala_changes only wakes the nodes; this table is the truth they catch up from.
CREATE TABLE change_log (
    revision  bigint PRIMARY KEY CHECK (revision >= 1),
    topic     text NOT NULL,
    key       text NOT NULL,
    origin    text NOT NULL,
    at        text NOT NULL
);
