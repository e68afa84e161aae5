-- Level 10 on PostgreSQL lets categorise rewrite customers' statuses in place (heap-only
-- updates: migrations/postgres/0010_status_updates.sql). SQLite rewrites a row in its own
-- page whatever its indexes: nothing changes here, the level exists so that both engines keep
-- the same levels, and customers_status stays (SQLite counts statuses on it).
SELECT 1;
