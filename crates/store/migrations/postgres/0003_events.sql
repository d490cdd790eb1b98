-- Events (集中开工 mass groundbreaking, 集中签约 mass signing): a dated ceremony that groups
-- projects. Its totals are computed from the linked projects, never stored. The event's
-- department decides who sees it.

CREATE TABLE events (
    id             BIGSERIAL   PRIMARY KEY,
    kind           TEXT        NOT NULL CHECK (kind IN ('groundbreaking', 'signing')),
    name           TEXT        NOT NULL,
    held_on        DATE        NOT NULL,
    place          TEXT,
    department_id  BIGINT      NOT NULL REFERENCES departments (id),
    notes          TEXT,
    illustrative   BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT      NOT NULL DEFAULT 1
);
CREATE INDEX events_department ON events (department_id, id);
CREATE INDEX events_held_on ON events (held_on, id);

CREATE TABLE event_projects (
    event_id    BIGINT NOT NULL REFERENCES events (id),
    project_id  BIGINT NOT NULL REFERENCES projects (id),
    PRIMARY KEY (event_id, project_id)
);
CREATE INDEX event_projects_project ON event_projects (project_id);
