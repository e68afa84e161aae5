-- Fields of the user's own (carnet field add): their definitions, and one JSON
-- object per customer holding the typed values by key (numbers and booleans as
-- JSON, dates as YYYY-MM-DD). Read in SQL as json_extract(custom, '$.KEY').
CREATE TABLE custom_fields (
  id         INTEGER PRIMARY KEY,
  key        TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'bool', 'choice')),
  choices    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(choices)),
  created_at TEXT NOT NULL
) STRICT;

ALTER TABLE customers ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
