-- The status light over time: the computed colour of each project per month (the previous
-- month's outcome feeds the "a red period turns yellow only when the shortfall is made up"
-- rule), and manual overrides with their written reason. An override is cleared, never
-- deleted, so the table is its own history; at most one is current per project.

CREATE TABLE project_status_history (
    project_id   BIGINT      NOT NULL REFERENCES projects (id),
    period       TEXT        NOT NULL,   -- 'YYYY-MM'
    colour       TEXT        NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
    reasons      TEXT        NOT NULL,   -- JSON array of the domain's reasons
    shortfall    BIGINT      NOT NULL CHECK (shortfall >= 0),
    held         BOOLEAN     NOT NULL,   -- kept from green by an earlier red period
    as_of        DATE        NOT NULL,   -- the day assessed
    computed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, period)
);
CREATE INDEX project_status_history_period ON project_status_history (period, project_id);

CREATE TABLE project_status_overrides (
    id          BIGSERIAL   PRIMARY KEY,
    project_id  BIGINT      NOT NULL REFERENCES projects (id),
    colour      TEXT        NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
    reason      TEXT        NOT NULL,
    set_by      BIGINT      REFERENCES users (id),
    set_at      TIMESTAMPTZ NOT NULL,
    cleared_by  BIGINT      REFERENCES users (id),
    cleared_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX project_status_overrides_current
    ON project_status_overrides (project_id) WHERE cleared_at IS NULL;
CREATE INDEX project_status_overrides_project ON project_status_overrides (project_id, id);
