-- Dashboard sessions: an API key exchanged for a browser cookie. Only the token's SHA-256 is stored.

CREATE TABLE dashboard_sessions (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    key_id      TEXT NOT NULL REFERENCES api_keys (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    ended_at    TEXT
);

CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);
