-- How long the last run of each long operation took (purge, import, dedupe --auto,
-- categorise): `carnet doctor` shows it. One row per operation, replaced each run.
CREATE TABLE operation_times (
  name     text COLLATE "C" PRIMARY KEY,
  at       text COLLATE "C" NOT NULL,
  seconds  double precision NOT NULL,
  summary  text COLLATE "C"
);
