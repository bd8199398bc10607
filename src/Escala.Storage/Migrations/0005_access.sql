-- Access hardening (issue 8).

-- A model's department lets another department serve it: without a grant, an operator scoped to
-- department A cannot deploy department B's model (organisation-wide models need none).
CREATE TABLE model_grants (
    model       TEXT NOT NULL,
    department  TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    PRIMARY KEY (model, department)
);

-- The admin-managed allow list of hosts the server may call: external backends and webhooks.
-- An outbound URL whose host is not listed is refused when it is configured.
CREATE TABLE outbound_hosts (
    host        TEXT NOT NULL PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('backend', 'webhook', 'any')),
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL
);
