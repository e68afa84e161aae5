-- How long the last run of each long operation took (purge, import, dedupe --auto,
-- categorise): `carnet doctor` shows it. One row per operation, replaced each run.
CREATE TABLE operation_times (
  name     TEXT PRIMARY KEY,
  at       TEXT NOT NULL,
  seconds  REAL NOT NULL,
  summary  TEXT
) STRICT, WITHOUT ROWID;
