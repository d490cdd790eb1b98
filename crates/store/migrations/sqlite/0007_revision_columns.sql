-- The ledger as of a date, answered in SQL. Each project revision keeps, beside its JSON
-- snapshot, the columns the list filters, sorts and sums on, and `valid_to`: the earliest
-- `valid_from` of a later revision of the same project (NULL while there is none). The
-- revision in force at an instant T is then the one with valid_from < T and (valid_to IS NULL
-- OR valid_to >= T): exactly the latest revision valid before T, found without a lookup per
-- project. Milestones get revisions of their own, so a project's page shows them as they stood.

ALTER TABLE project_revisions ADD COLUMN valid_to TEXT;
ALTER TABLE project_revisions ADD COLUMN code TEXT;
ALTER TABLE project_revisions ADD COLUMN name TEXT;
ALTER TABLE project_revisions ADD COLUMN platform_id INTEGER;
ALTER TABLE project_revisions ADD COLUMN kind TEXT;
ALTER TABLE project_revisions ADD COLUMN stage TEXT;
ALTER TABLE project_revisions ADD COLUMN department_id INTEGER;
ALTER TABLE project_revisions ADD COLUMN leader_name TEXT;
ALTER TABLE project_revisions ADD COLUMN total_investment INTEGER;
ALTER TABLE project_revisions ADD COLUMN completed_investment INTEGER;
ALTER TABLE project_revisions ADD COLUMN floor_area_m2 INTEGER;
ALTER TABLE project_revisions ADD COLUMN land_area_mu_x100 INTEGER;
ALTER TABLE project_revisions ADD COLUMN address TEXT;
ALTER TABLE project_revisions ADD COLUMN planned_start TEXT;
ALTER TABLE project_revisions ADD COLUMN status_colour TEXT;

UPDATE project_revisions SET
    code = json_extract(snapshot, '$.code'),
    name = json_extract(snapshot, '$.name'),
    platform_id = json_extract(snapshot, '$.platform_id'),
    kind = json_extract(snapshot, '$.kind'),
    stage = json_extract(snapshot, '$.stage'),
    department_id = json_extract(snapshot, '$.department_id'),
    leader_name = json_extract(snapshot, '$.leader_name'),
    total_investment = json_extract(snapshot, '$.total_investment'),
    completed_investment = json_extract(snapshot, '$.completed_investment'),
    floor_area_m2 = json_extract(snapshot, '$.floor_area_m2'),
    land_area_mu_x100 = json_extract(snapshot, '$.land_area_mu_x100'),
    address = json_extract(snapshot, '$.address'),
    planned_start = json_extract(snapshot, '$.planned_start'),
    status_colour = json_extract(snapshot, '$.status_colour'),
    valid_to = (SELECT MIN(n.valid_from) FROM project_revisions n
                WHERE n.project_id = project_revisions.project_id
                AND n.revision > project_revisions.revision);

-- The as-of list reads only this index (a tenth of the table's bytes, which are mostly JSON)
-- and walks it in id order for the default sort. The index on `valid_from` alone goes: it led
-- SQLite's planner to read the whole table in `valid_from` order instead.
DROP INDEX project_revisions_valid_from;
CREATE INDEX project_revisions_as_of ON project_revisions (project_id, revision, valid_from,
    valid_to, stage, kind, platform_id, department_id, status_colour, leader_name,
    total_investment, completed_investment, floor_area_m2, land_area_mu_x100, planned_start,
    name, code, address);

CREATE TABLE milestone_revisions (
    milestone_id  INTEGER NOT NULL REFERENCES milestones (id),
    version       INTEGER NOT NULL,
    project_id    INTEGER NOT NULL REFERENCES projects (id),
    valid_from    TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    planned       TEXT    NOT NULL,
    actual        TEXT,
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
