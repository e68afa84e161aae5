-- Level 12 on PostgreSQL lets the planner inline carnet_fold (migrations/postgres/0012_fold_inline.sql).
-- SQLite's carnet_fold is registered from JavaScript: nothing changes here, the level exists so
-- that both engines keep the same levels.
SELECT 1;
