-- A platform's roadmap (发展路径: dated phases with their goals) and the annual targets
-- (年度指标) of the district and of each platform. A target's actual value is never stored:
-- it is computed from the ledger by its metric. Target values are exact integers in the
-- metric's base unit (元, m², a count); dates are 'YYYY-MM-DD' text.

CREATE TABLE platform_phases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_id  INTEGER NOT NULL REFERENCES platforms (id),
    ordinal      INTEGER NOT NULL CHECK (ordinal >= 1),
    title        TEXT    NOT NULL,
    target_year  INTEGER NOT NULL,
    target_date  TEXT,
    goal         TEXT,
    done         BOOLEAN NOT NULL DEFAULT FALSE,
    illustrative BOOLEAN NOT NULL DEFAULT FALSE,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (platform_id, ordinal)
);

CREATE TABLE kpi_targets (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- NULL: a target of the whole district.
    platform_id   INTEGER REFERENCES platforms (id),
    year          INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    metric        TEXT    NOT NULL CHECK (metric IN ('completed_investment',
                      'signed_investment', 'projects_signed', 'projects_started',
                      'projects_completed', 'floor_area_started', 'projects_total')),
    target        INTEGER NOT NULL CHECK (target >= 0),
    notes         TEXT,
    illustrative  BOOLEAN NOT NULL DEFAULT FALSE,
    version       INTEGER NOT NULL DEFAULT 1
);
-- One target of a name per platform (or district) and year.
CREATE UNIQUE INDEX kpi_targets_name ON kpi_targets (COALESCE(platform_id, 0), year, name);
CREATE INDEX kpi_targets_year ON kpi_targets (year, platform_id);
