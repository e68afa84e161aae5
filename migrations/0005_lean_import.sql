-- Level 5: what a million-row import writes, made smaller (issue 17). Never edit once landed.

-- 1. E-mail addresses leave the full-text index. Tokenising them was the dearest part of the
--    index (five words an address) and `search` finds addresses better through
--    customers.email_norm and its index: a whole address, its local part, or its domain
--    (`carnet search @orange.fr`). Names, company, city and notes stay full-text.
DROP TRIGGER customers_fts_ai;
DROP TRIGGER customers_fts_ad;
DROP TRIGGER customers_fts_au;
DROP TABLE customers_fts;

CREATE VIRTUAL TABLE customers_fts USING fts5 (
  first_name, last_name, company_name, city, notes,
  content = 'customers', content_rowid = 'id',
  tokenize = "unicode61 remove_diacritics 2"
);
INSERT INTO customers_fts (customers_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');

CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customers_fts (rowid, first_name, last_name, company_name, city, notes)
  VALUES (new.id, new.first_name, new.last_name, new.company_name, new.city, new.notes);
END;
CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customers_fts (customers_fts, rowid, first_name, last_name, company_name, city, notes)
  VALUES ('delete', old.id, old.first_name, old.last_name, old.company_name, old.city, old.notes);
END;
CREATE TRIGGER customers_fts_au AFTER UPDATE OF first_name, last_name, company_name, city, notes ON customers BEGIN
  INSERT INTO customers_fts (customers_fts, rowid, first_name, last_name, company_name, city, notes)
  VALUES ('delete', old.id, old.first_name, old.last_name, old.company_name, old.city, old.notes);
  INSERT INTO customers_fts (rowid, first_name, last_name, company_name, city, notes)
  VALUES (new.id, new.first_name, new.last_name, new.company_name, new.city, new.notes);
END;

-- 2. The consent proof of an imported row is stored once per import run and file
--    ("import of clients.csv", its source), and each consent row refers to it with the
--    line of the file: the same proof per person as before, without repeating ~70 bytes
--    on a million rows. Consents recorded one by one keep their own source and proof.
--    Proofs hold no personal data; they stay when a person is erased (their consent rows go).
CREATE TABLE consent_proofs (
  id            INTEGER PRIMARY KEY,
  import_run_id INTEGER,             -- the run that recorded it (kept even if the run's record is purged)
  source        TEXT,
  proof         TEXT NOT NULL
) STRICT;

ALTER TABLE consents ADD COLUMN proof_id INTEGER REFERENCES consent_proofs (id);
ALTER TABLE consents ADD COLUMN proof_line INTEGER;

-- Consents as a person reads them (access, register): the shared proof spelled out per row.
CREATE VIEW consent_records AS
SELECT k.id, k.customer_id, k.channel, k.purpose, k.state,
       coalesce(k.source, p.source) AS source,
       CASE WHEN k.proof_id IS NULL THEN k.proof
            WHEN k.proof_line IS NULL THEN p.proof
            ELSE p.proof || ' line ' || k.proof_line END AS proof,
       k.recorded_at
FROM consents k LEFT JOIN consent_proofs p ON p.id = k.proof_id;
