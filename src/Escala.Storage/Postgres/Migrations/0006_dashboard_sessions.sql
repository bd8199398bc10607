-- Dashboard sessions, as SQLite's 0010_dashboard_sessions.sql: an API key exchanged for a browser cookie. Only the
-- token's SHA-256 is stored.

CREATE TABLE dashboard_sessions (
    id          text PRIMARY KEY,
    token_hash  text NOT NULL,
    key_id      text NOT NULL REFERENCES api_keys (id),
    created_at  text NOT NULL,
    expires_at  text NOT NULL,
    ended_at    text
);

CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);
