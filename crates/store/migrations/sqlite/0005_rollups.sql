-- Roll-ups of the cockpit. The monthly investment trend sums every progress report of the
-- projects in scope; at district scale that is a million rows, so the sums are kept per
-- department and period in `progress_rollups`, which triggers keep current in the same
-- transaction as every write of a report (insert, replacement, removal) and every move of a
-- project to another department, whatever code path writes them. `reports` counts the rows
-- behind each sum, so a period appears in the trend exactly when a report exists for it.

CREATE TABLE progress_rollups (
    department_id  INTEGER NOT NULL REFERENCES departments (id),
    period         TEXT    NOT NULL,
    invested       INTEGER NOT NULL,
    reports        INTEGER NOT NULL,
    PRIMARY KEY (department_id, period)
);

INSERT INTO progress_rollups (department_id, period, invested, reports)
SELECT p.department_id, r.period, SUM(r.invested_in_period), COUNT(*)
FROM progress_reports r JOIN projects p ON p.id = r.project_id
GROUP BY p.department_id, r.period;

CREATE TRIGGER progress_rollups_on_insert AFTER INSERT ON progress_reports
BEGIN
    INSERT INTO progress_rollups (department_id, period, invested, reports)
    SELECT department_id, NEW.period, NEW.invested_in_period, 1
    FROM projects WHERE id = NEW.project_id
    ON CONFLICT (department_id, period) DO UPDATE SET
        invested = progress_rollups.invested + excluded.invested,
        reports = progress_rollups.reports + excluded.reports;
END;

CREATE TRIGGER progress_rollups_on_update
AFTER UPDATE OF project_id, period, invested_in_period ON progress_reports
BEGIN
    UPDATE progress_rollups
    SET invested = invested - OLD.invested_in_period, reports = reports - 1
    WHERE period = OLD.period
      AND department_id = (SELECT department_id FROM projects WHERE id = OLD.project_id);
    INSERT INTO progress_rollups (department_id, period, invested, reports)
    SELECT department_id, NEW.period, NEW.invested_in_period, 1
    FROM projects WHERE id = NEW.project_id
    ON CONFLICT (department_id, period) DO UPDATE SET
        invested = progress_rollups.invested + excluded.invested,
        reports = progress_rollups.reports + excluded.reports;
END;

CREATE TRIGGER progress_rollups_on_delete AFTER DELETE ON progress_reports
BEGIN
    UPDATE progress_rollups
    SET invested = invested - OLD.invested_in_period, reports = reports - 1
    WHERE period = OLD.period
      AND department_id = (SELECT department_id FROM projects WHERE id = OLD.project_id);
END;

-- A project that moves to another department takes its reports' sums with it.
CREATE TRIGGER progress_rollups_on_department_change AFTER UPDATE OF department_id ON projects
WHEN OLD.department_id <> NEW.department_id
BEGIN
    UPDATE progress_rollups
    SET invested = progress_rollups.invested - moved.invested,
        reports = progress_rollups.reports - moved.reports
    FROM (SELECT period, SUM(invested_in_period) AS invested, COUNT(*) AS reports
          FROM progress_reports WHERE project_id = NEW.id GROUP BY period) AS moved
    WHERE progress_rollups.department_id = OLD.department_id
      AND progress_rollups.period = moved.period;
    INSERT INTO progress_rollups (department_id, period, invested, reports)
    SELECT NEW.department_id, period, SUM(invested_in_period), COUNT(*)
    FROM progress_reports WHERE project_id = NEW.id GROUP BY period
    ON CONFLICT (department_id, period) DO UPDATE SET
        invested = progress_rollups.invested + excluded.invested,
        reports = progress_rollups.reports + excluded.reports;
END;

-- The count and sums of the projects per department, platform (0: none), stage, kind and
-- status colour: the ledger's totals row and the cockpit's figures for any filter on those
-- columns add up a few thousand rows of this table instead of reading every project. Kept by
-- triggers in the same transaction as every insert, change or removal of a project.
CREATE TABLE project_rollups (
    department_id         INTEGER NOT NULL REFERENCES departments (id),
    platform_key          INTEGER NOT NULL,
    stage                 TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    status_colour         TEXT    NOT NULL,
    count                 INTEGER NOT NULL,
    total_investment      INTEGER NOT NULL,
    completed_investment  INTEGER NOT NULL,
    floor_area_m2         INTEGER NOT NULL,
    land_area_mu_x100     INTEGER NOT NULL,
    PRIMARY KEY (department_id, platform_key, stage, kind, status_colour)
);

INSERT INTO project_rollups
SELECT department_id, COALESCE(platform_id, 0), stage, kind, status_colour, COUNT(*),
       SUM(total_investment), SUM(completed_investment), COALESCE(SUM(floor_area_m2), 0),
       COALESCE(SUM(land_area_mu_x100), 0)
FROM projects GROUP BY department_id, COALESCE(platform_id, 0), stage, kind, status_colour;

CREATE TRIGGER project_rollups_on_insert AFTER INSERT ON projects
BEGIN
    INSERT INTO project_rollups VALUES (NEW.department_id, COALESCE(NEW.platform_id, 0),
        NEW.stage, NEW.kind, NEW.status_colour, 1, NEW.total_investment,
        NEW.completed_investment, COALESCE(NEW.floor_area_m2, 0),
        COALESCE(NEW.land_area_mu_x100, 0))
    ON CONFLICT (department_id, platform_key, stage, kind, status_colour) DO UPDATE SET
        count = project_rollups.count + excluded.count,
        total_investment = project_rollups.total_investment + excluded.total_investment,
        completed_investment = project_rollups.completed_investment + excluded.completed_investment,
        floor_area_m2 = project_rollups.floor_area_m2 + excluded.floor_area_m2,
        land_area_mu_x100 = project_rollups.land_area_mu_x100 + excluded.land_area_mu_x100;
END;

CREATE TRIGGER project_rollups_on_update
AFTER UPDATE OF department_id, platform_id, stage, kind, status_colour, total_investment,
    completed_investment, floor_area_m2, land_area_mu_x100 ON projects
BEGIN
    UPDATE project_rollups SET
        count = count - 1,
        total_investment = total_investment - OLD.total_investment,
        completed_investment = completed_investment - OLD.completed_investment,
        floor_area_m2 = floor_area_m2 - COALESCE(OLD.floor_area_m2, 0),
        land_area_mu_x100 = land_area_mu_x100 - COALESCE(OLD.land_area_mu_x100, 0)
    WHERE department_id = OLD.department_id AND platform_key = COALESCE(OLD.platform_id, 0)
      AND stage = OLD.stage AND kind = OLD.kind AND status_colour = OLD.status_colour;
    INSERT INTO project_rollups VALUES (NEW.department_id, COALESCE(NEW.platform_id, 0),
        NEW.stage, NEW.kind, NEW.status_colour, 1, NEW.total_investment,
        NEW.completed_investment, COALESCE(NEW.floor_area_m2, 0),
        COALESCE(NEW.land_area_mu_x100, 0))
    ON CONFLICT (department_id, platform_key, stage, kind, status_colour) DO UPDATE SET
        count = project_rollups.count + excluded.count,
        total_investment = project_rollups.total_investment + excluded.total_investment,
        completed_investment = project_rollups.completed_investment + excluded.completed_investment,
        floor_area_m2 = project_rollups.floor_area_m2 + excluded.floor_area_m2,
        land_area_mu_x100 = project_rollups.land_area_mu_x100 + excluded.land_area_mu_x100;
END;

CREATE TRIGGER project_rollups_on_delete AFTER DELETE ON projects
BEGIN
    UPDATE project_rollups SET
        count = count - 1,
        total_investment = total_investment - OLD.total_investment,
        completed_investment = completed_investment - OLD.completed_investment,
        floor_area_m2 = floor_area_m2 - COALESCE(OLD.floor_area_m2, 0),
        land_area_mu_x100 = land_area_mu_x100 - COALESCE(OLD.land_area_mu_x100, 0)
    WHERE department_id = OLD.department_id AND platform_key = COALESCE(OLD.platform_id, 0)
      AND stage = OLD.stage AND kind = OLD.kind AND status_colour = OLD.status_colour;
END;
