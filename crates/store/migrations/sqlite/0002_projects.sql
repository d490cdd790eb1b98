-- The key-project ledger (重点项目台账): platforms, projects, their stage history, milestones,
-- monthly progress reports, the investment plan, and a revision per change so the ledger can
-- be rebuilt as of a past date. Money is whole 元 in INTEGER; dates are 'YYYY-MM-DD' text.

CREATE TABLE platforms (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    name                   TEXT    NOT NULL UNIQUE,
    positioning            TEXT,
    planned_area_km2_x100  INTEGER,
    created_at             TEXT    NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE projects (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    code                   TEXT UNIQUE,
    name                   TEXT    NOT NULL,
    platform_id            INTEGER REFERENCES platforms (id),
    kind                   TEXT    NOT NULL,
    stage                  TEXT    NOT NULL,
    department_id          INTEGER NOT NULL REFERENCES departments (id),
    leader_user_id         INTEGER REFERENCES users (id),
    leader_name            TEXT,
    total_investment       INTEGER NOT NULL DEFAULT 0 CHECK (total_investment >= 0),
    completed_investment   INTEGER NOT NULL DEFAULT 0 CHECK (completed_investment >= 0),
    floor_area_m2          INTEGER CHECK (floor_area_m2 >= 0),
    land_area_mu_x100      INTEGER CHECK (land_area_mu_x100 >= 0),
    address                TEXT,
    longitude              REAL,
    latitude               REAL,
    planned_signing        TEXT,
    actual_signing         TEXT,
    planned_start          TEXT,
    actual_start           TEXT,
    planned_structure      TEXT,
    actual_structure       TEXT,
    planned_completion     TEXT,
    actual_completion      TEXT,
    planned_operation      TEXT,
    actual_operation       TEXT,
    notes                  TEXT,
    illustrative           BOOLEAN NOT NULL DEFAULT FALSE,
    status_colour          TEXT    NOT NULL DEFAULT 'green'
                           CHECK (status_colour IN ('green', 'yellow', 'red')),
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1,
    UNIQUE (platform_id, name)
);
CREATE INDEX projects_department ON projects (department_id, id);
CREATE INDEX projects_leader_user ON projects (leader_user_id);
CREATE INDEX projects_leader_name ON projects (leader_name);
CREATE INDEX projects_platform ON projects (platform_id, id);
CREATE INDEX projects_stage ON projects (stage, id);
CREATE INDEX projects_kind ON projects (kind, id);
CREATE INDEX projects_colour ON projects (status_colour, id);
CREATE INDEX projects_name ON projects (name, id);
CREATE INDEX projects_total ON projects (total_investment, id);
CREATE INDEX projects_updated ON projects (updated_at, id);

CREATE TABLE project_stage_changes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL REFERENCES projects (id),
    from_stage   TEXT    NOT NULL,
    to_stage     TEXT    NOT NULL,
    on_date      TEXT    NOT NULL,
    correction   BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_at  TEXT    NOT NULL,
    user_id      INTEGER REFERENCES users (id)
);
CREATE INDEX project_stage_changes_project ON project_stage_changes (project_id, id);

CREATE TABLE milestones (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    name        TEXT    NOT NULL,
    planned     TEXT    NOT NULL,
    actual      TEXT,
    owner_name  TEXT,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX milestones_project ON milestones (project_id, planned);

CREATE TABLE progress_reports (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id          INTEGER NOT NULL REFERENCES projects (id),
    period              TEXT    NOT NULL,
    invested_in_period  INTEGER NOT NULL CHECK (invested_in_period >= 0),
    percent             INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    narrative           TEXT,
    recorded_at         TEXT    NOT NULL,
    UNIQUE (project_id, period)
);

CREATE TABLE investment_plan (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id         INTEGER NOT NULL REFERENCES projects (id),
    period             TEXT    NOT NULL,
    cumulative_target  INTEGER NOT NULL CHECK (cumulative_target >= 0),
    UNIQUE (project_id, period)
);

CREATE TABLE project_revisions (
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    revision    INTEGER NOT NULL,
    valid_from  TEXT    NOT NULL,
    user_id     INTEGER,
    snapshot    TEXT    NOT NULL,
    PRIMARY KEY (project_id, revision)
);
CREATE INDEX project_revisions_valid_from ON project_revisions (valid_from);
