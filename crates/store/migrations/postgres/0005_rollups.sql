-- Roll-ups of the cockpit. The monthly investment trend sums every progress report of the
-- projects in scope; at district scale that is a million rows, so the sums are kept per
-- department and period in `progress_rollups`, which triggers keep current in the same
-- transaction as every write of a report (insert, replacement, removal) and every move of a
-- project to another department, whatever code path writes them. `reports` counts the rows
-- behind each sum, so a period appears in the trend exactly when a report exists for it.

CREATE TABLE progress_rollups (
    department_id  BIGINT  NOT NULL REFERENCES departments (id),
    period         TEXT    NOT NULL,
    invested       BIGINT  NOT NULL,
    reports        BIGINT  NOT NULL,
    PRIMARY KEY (department_id, period)
);

INSERT INTO progress_rollups (department_id, period, invested, reports)
SELECT p.department_id, r.period, SUM(r.invested_in_period), COUNT(*)
FROM progress_reports r JOIN projects p ON p.id = r.project_id
GROUP BY p.department_id, r.period;

-- Adds to the roll-up of the department of `project` for `for_period`.
CREATE FUNCTION progress_rollups_add(project BIGINT, for_period TEXT, invested_delta BIGINT,
                                     reports_delta BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO progress_rollups (department_id, period, invested, reports)
    SELECT department_id, for_period, invested_delta, reports_delta
    FROM projects WHERE id = project
    ON CONFLICT (department_id, period) DO UPDATE SET
        invested = progress_rollups.invested + excluded.invested,
        reports = progress_rollups.reports + excluded.reports;
$$;

CREATE FUNCTION progress_rollups_on_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM progress_rollups_add(OLD.project_id, OLD.period, -OLD.invested_in_period, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM progress_rollups_add(NEW.project_id, NEW.period, NEW.invested_in_period, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER progress_rollups_on_report
AFTER INSERT OR DELETE OR UPDATE OF project_id, period, invested_in_period ON progress_reports
FOR EACH ROW EXECUTE FUNCTION progress_rollups_on_report();

-- A project that moves to another department takes its reports' sums with it.
CREATE FUNCTION progress_rollups_on_department_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RETURN NULL;
END;
$$;
CREATE TRIGGER progress_rollups_on_department_change
AFTER UPDATE OF department_id ON projects
FOR EACH ROW WHEN (OLD.department_id <> NEW.department_id)
EXECUTE FUNCTION progress_rollups_on_department_change();

-- The count and sums of the projects per department, platform (0: none), stage, kind and
-- status colour: the ledger's totals row and the cockpit's figures for any filter on those
-- columns add up a few thousand rows of this table instead of reading every project. Kept by
-- triggers in the same transaction as every insert, change or removal of a project.
CREATE TABLE project_rollups (
    department_id         BIGINT  NOT NULL REFERENCES departments (id),
    platform_key          BIGINT  NOT NULL,
    stage                 TEXT    NOT NULL,
    kind                  TEXT    NOT NULL,
    status_colour         TEXT    NOT NULL,
    count                 BIGINT  NOT NULL,
    total_investment      BIGINT  NOT NULL,
    completed_investment  BIGINT  NOT NULL,
    floor_area_m2         BIGINT  NOT NULL,
    land_area_mu_x100     BIGINT  NOT NULL,
    PRIMARY KEY (department_id, platform_key, stage, kind, status_colour)
);

INSERT INTO project_rollups
SELECT department_id, COALESCE(platform_id, 0), stage, kind, status_colour, COUNT(*),
       SUM(total_investment), SUM(completed_investment), COALESCE(SUM(floor_area_m2), 0),
       COALESCE(SUM(land_area_mu_x100), 0)
FROM projects GROUP BY department_id, COALESCE(platform_id, 0), stage, kind, status_colour;

-- Adds one project's figures (or takes them away, with `direction` -1) to its roll-up row.
CREATE FUNCTION project_rollups_add(p projects, direction BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO project_rollups VALUES (p.department_id, COALESCE(p.platform_id, 0), p.stage,
        p.kind, p.status_colour, direction, direction * p.total_investment,
        direction * p.completed_investment,
        direction * COALESCE(p.floor_area_m2, 0), direction * COALESCE(p.land_area_mu_x100, 0))
    ON CONFLICT (department_id, platform_key, stage, kind, status_colour) DO UPDATE SET
        count = project_rollups.count + excluded.count,
        total_investment = project_rollups.total_investment + excluded.total_investment,
        completed_investment = project_rollups.completed_investment + excluded.completed_investment,
        floor_area_m2 = project_rollups.floor_area_m2 + excluded.floor_area_m2,
        land_area_mu_x100 = project_rollups.land_area_mu_x100 + excluded.land_area_mu_x100;
$$;

CREATE FUNCTION project_rollups_on_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM project_rollups_add(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM project_rollups_add(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER project_rollups_on_project
AFTER INSERT OR DELETE OR UPDATE OF department_id, platform_id, stage, kind, status_colour,
    total_investment, completed_investment, floor_area_m2, land_area_mu_x100 ON projects
FOR EACH ROW EXECUTE FUNCTION project_rollups_on_project();
