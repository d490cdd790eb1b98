-- The ledger as of a date, answered in SQL. Each project revision keeps, beside its JSON
-- snapshot, the columns the list filters, sorts and sums on, and `valid_to`: the earliest
-- `valid_from` of a later revision of the same project (NULL while there is none). The
-- revision in force at an instant T is then the one with valid_from < T and (valid_to IS NULL
-- OR valid_to >= T): exactly the latest revision valid before T, found without a lookup per
-- project. Milestones get revisions of their own, so a project's page shows them as they stood.

ALTER TABLE project_revisions
    ADD COLUMN valid_to             TIMESTAMPTZ,
    ADD COLUMN code                 TEXT,
    ADD COLUMN name                 TEXT,
    ADD COLUMN platform_id          BIGINT,
    ADD COLUMN kind                 TEXT,
    ADD COLUMN stage                TEXT,
    ADD COLUMN department_id        BIGINT,
    ADD COLUMN leader_name          TEXT,
    ADD COLUMN total_investment     BIGINT,
    ADD COLUMN completed_investment BIGINT,
    ADD COLUMN floor_area_m2        BIGINT,
    ADD COLUMN land_area_mu_x100    BIGINT,
    ADD COLUMN address              TEXT,
    ADD COLUMN planned_start        DATE,
    ADD COLUMN status_colour        TEXT;

UPDATE project_revisions r SET
    code = s.j ->> 'code',
    name = s.j ->> 'name',
    platform_id = (s.j ->> 'platform_id')::BIGINT,
    kind = s.j ->> 'kind',
    stage = s.j ->> 'stage',
    department_id = (s.j ->> 'department_id')::BIGINT,
    leader_name = s.j ->> 'leader_name',
    total_investment = (s.j ->> 'total_investment')::BIGINT,
    completed_investment = (s.j ->> 'completed_investment')::BIGINT,
    floor_area_m2 = (s.j ->> 'floor_area_m2')::BIGINT,
    land_area_mu_x100 = (s.j ->> 'land_area_mu_x100')::BIGINT,
    address = s.j ->> 'address',
    planned_start = (s.j ->> 'planned_start')::DATE,
    status_colour = s.j ->> 'status_colour',
    valid_to = (SELECT MIN(n.valid_from) FROM project_revisions n
                WHERE n.project_id = r.project_id AND n.revision > r.revision)
FROM (SELECT project_id, revision, snapshot::jsonb AS j FROM project_revisions) s
WHERE s.project_id = r.project_id AND s.revision = r.revision;

CREATE INDEX project_revisions_as_of ON project_revisions (project_id, valid_from);

CREATE TABLE milestone_revisions (
    milestone_id  BIGINT  NOT NULL REFERENCES milestones (id),
    version       BIGINT  NOT NULL,
    project_id    BIGINT  NOT NULL REFERENCES projects (id),
    valid_from    TIMESTAMPTZ NOT NULL,
    name          TEXT    NOT NULL,
    planned       DATE    NOT NULL,
    actual        DATE,
    owner_name    TEXT,
    PRIMARY KEY (milestone_id, version)
);
CREATE INDEX milestone_revisions_project ON milestone_revisions (project_id, valid_from);

-- Milestones from before their history was kept count from the project's first revision.
INSERT INTO milestone_revisions (milestone_id, version, project_id, valid_from, name, planned,
    actual, owner_name)
SELECT m.id, m.version, m.project_id,
       COALESCE((SELECT MIN(r.valid_from) FROM project_revisions r
                 WHERE r.project_id = m.project_id), p.created_at),
       m.name, m.planned, m.actual, m.owner_name
FROM milestones m JOIN projects p ON p.id = m.project_id;
