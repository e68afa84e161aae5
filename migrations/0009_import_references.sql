-- Level 9 on PostgreSQL checks six foreign keys a statement at a time instead of a row at a
-- time (migrations/postgres/0009_import_references.sql). SQLite's foreign keys cost no such
-- price: nothing changes here, the level exists so that both engines keep the same levels.
SELECT 1;
