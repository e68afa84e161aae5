-- Level 11 on PostgreSQL folds a customer's full-text document once instead of twice
-- (migrations/postgres/0011_full_text_fold.sql). SQLite's FTS5 table is fed by carnet_fold,
-- registered from JavaScript, which has nothing to gain: nothing changes here, the level
-- exists so that both engines keep the same levels.
SELECT 1;
