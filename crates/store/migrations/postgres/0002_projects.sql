-- The key-project ledger (重点项目台账): platforms, projects, their stage history, milestones,
-- monthly progress reports, the investment plan, and a revision per change so the ledger can
-- be rebuilt as of a past date. Money is whole 元 in BIGINT; dates are DATE.

CREATE TABLE platforms (
    id                     BIGSERIAL   PRIMARY KEY,
    name                   TEXT    NOT NULL UNIQUE,
    positioning            TEXT,
    planned_area_km2_x100  BIGINT,
    created_at             TIMESTAMPTZ    NOT NULL,
    version                BIGINT  NOT NULL DEFAULT 1
);

CREATE TABLE projects (
    id                     BIGSERIAL   PRIMARY KEY,
    code                   TEXT UNIQUE,
    name                   TEXT    NOT NULL,
    platform_id            BIGINT  REFERENCES platforms (id),
    kind                   TEXT    NOT NULL,
    stage                  TEXT    NOT NULL,
    department_id          BIGINT  NOT NULL REFERENCES departments (id),
    leader_user_id         BIGINT  REFERENCES users (id),
    leader_name            TEXT,
    total_investment       BIGINT  NOT NULL DEFAULT 0 CHECK (total_investment >= 0),
    completed_investment   BIGINT  NOT NULL DEFAULT 0 CHECK (completed_investment >= 0),
    floor_area_m2          BIGINT  CHECK (floor_area_m2 >= 0),
    land_area_mu_x100      BIGINT  CHECK (land_area_mu_x100 >= 0),
    address                TEXT,
    longitude              DOUBLE PRECISION,
    latitude               DOUBLE PRECISION,
    planned_signing        DATE,
    actual_signing         DATE,
    planned_start          DATE,
    actual_start           DATE,
    planned_structure      DATE,
    actual_structure       DATE,
    planned_completion     DATE,
    actual_completion      DATE,
    planned_operation      DATE,
    actual_operation       DATE,
    notes                  TEXT,
    illustrative           BOOLEAN NOT NULL DEFAULT FALSE,
    status_colour          TEXT    NOT NULL DEFAULT 'green'
                           CHECK (status_colour IN ('green', 'yellow', 'red')),
    created_at             TIMESTAMPTZ    NOT NULL,
    updated_at             TIMESTAMPTZ    NOT NULL,
    version                BIGINT  NOT NULL DEFAULT 1,
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
    id           BIGSERIAL   PRIMARY KEY,
    project_id   BIGINT  NOT NULL REFERENCES projects (id),
    from_stage   TEXT    NOT NULL,
    to_stage     TEXT    NOT NULL,
    on_date      DATE    NOT NULL,
    correction   BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_at  TIMESTAMPTZ    NOT NULL,
    user_id      BIGINT  REFERENCES users (id)
);
CREATE INDEX project_stage_changes_project ON project_stage_changes (project_id, id);

CREATE TABLE milestones (
    id          BIGSERIAL   PRIMARY KEY,
    project_id  BIGINT  NOT NULL REFERENCES projects (id),
    name        TEXT    NOT NULL,
    planned     DATE    NOT NULL,
    actual      DATE,
    owner_name  TEXT,
    version     BIGINT  NOT NULL DEFAULT 1
);
CREATE INDEX milestones_project ON milestones (project_id, planned);

CREATE TABLE progress_reports (
    id                  BIGSERIAL   PRIMARY KEY,
    project_id          BIGINT  NOT NULL REFERENCES projects (id),
    period              TEXT    NOT NULL,
    invested_in_period  BIGINT  NOT NULL CHECK (invested_in_period >= 0),
    percent             BIGINT  NOT NULL CHECK (percent BETWEEN 0 AND 100),
    narrative           TEXT,
    recorded_at         TIMESTAMPTZ    NOT NULL,
    UNIQUE (project_id, period)
);

CREATE TABLE investment_plan (
    id                 BIGSERIAL   PRIMARY KEY,
    project_id         BIGINT  NOT NULL REFERENCES projects (id),
    period             TEXT    NOT NULL,
    cumulative_target  BIGINT  NOT NULL CHECK (cumulative_target >= 0),
    UNIQUE (project_id, period)
);

CREATE TABLE project_revisions (
    project_id  BIGINT  NOT NULL REFERENCES projects (id),
    revision    BIGINT  NOT NULL,
    valid_from  TIMESTAMPTZ    NOT NULL,
    user_id     BIGINT,
    snapshot    TEXT    NOT NULL,
    PRIMARY KEY (project_id, revision)
);
CREATE INDEX project_revisions_valid_from ON project_revisions (valid_from);
