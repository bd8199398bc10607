-- Access hardening (issue 8), as SQLite's 0005_access.sql: grants that let another department serve a model,
-- and the admin-managed allow list of hosts the server may call (external backends and webhooks).

CREATE TABLE model_grants (
    model       text NOT NULL,
    department  text NOT NULL,
    granted_at  text NOT NULL,
    granted_by  text NOT NULL,
    PRIMARY KEY (model, department)
);

CREATE TABLE outbound_hosts (
    host        text NOT NULL PRIMARY KEY,
    purpose     text NOT NULL CHECK (purpose IN ('backend', 'webhook', 'any')),
    added_at    text NOT NULL,
    added_by    text NOT NULL
);
