-- The foundation: org tree, users and roles, sessions, API tokens, settings, audit log.
-- Times are UTC, stored as RFC 3339 text (sqlx's encoding of chrono::DateTime<Utc>).

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES departments (id),
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('district', 'bureau', 'street', 'section')),
    created_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (parent_id, name)
);
CREATE INDEX departments_parent ON departments (parent_id);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT    NOT NULL UNIQUE,
    display_name         TEXT    NOT NULL,
    department_id        INTEGER NOT NULL REFERENCES departments (id),
    password_hash        TEXT    NOT NULL,
    password_changed_at  TEXT    NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    totp_secret          TEXT,
    totp_enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step       INTEGER,
    created_at           TEXT    NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_department ON users (department_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role    TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT    NOT NULL,
    used_at   TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A session is stored under the SHA-256 of its ID: a copy of this table opens no session.
CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   TEXT    NOT NULL,
    stage        TEXT    NOT NULL CHECK (stage IN ('second_factor', 'active')),
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    user_id     INTEGER,
    username    TEXT,
    ip          TEXT,
    action      TEXT    NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('success', 'failure')),
    changes     TEXT    NOT NULL,
    algorithm   TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_user ON audit_log (username);

-- The audit log is append-only: the database itself refuses to change or remove a record.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
