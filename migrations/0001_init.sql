-- carnet data model, level 1. Never edit once landed: add 0002_*.sql instead.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE customers (
  id              INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: an id in a script or an undo always means one person
  uid             TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
  civility        TEXT,
  first_name      TEXT,
  last_name       TEXT,
  company_name    TEXT,
  legal_form      TEXT,
  siret           TEXT,
  vat_number      TEXT,
  sector          TEXT,
  job_title       TEXT,
  email           TEXT,
  email_norm      TEXT,
  phone           TEXT,
  phone_e164      TEXT,
  mobile          TEXT,
  mobile_e164     TEXT,
  address_line1   TEXT,
  address_line2   TEXT,
  postal_code     TEXT,
  city            TEXT,
  country         TEXT,
  birth_date      TEXT,
  website         TEXT,
  owner           TEXT,
  region          TEXT,
  status          TEXT NOT NULL DEFAULT 'prospect',
  source          TEXT,
  external_id     TEXT,
  external_source TEXT,
  notes           TEXT,
  extra           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  last_contact_at TEXT,
  restricted_at   TEXT,
  archived_at     TEXT
) STRICT;

CREATE INDEX customers_email_norm ON customers (email_norm) WHERE email_norm IS NOT NULL;
CREATE INDEX customers_siret ON customers (siret) WHERE siret IS NOT NULL;
CREATE INDEX customers_phone ON customers (phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX customers_mobile ON customers (mobile_e164) WHERE mobile_e164 IS NOT NULL;
CREATE INDEX customers_external ON customers (external_source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customers_status ON customers (status);

CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  civility    TEXT,
  first_name  TEXT,
  last_name   TEXT,
  role        TEXT,
  email       TEXT,
  email_norm  TEXT,
  phone       TEXT,
  phone_e164  TEXT,
  notes       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX contacts_customer ON contacts (customer_id);
CREATE INDEX contacts_email_norm ON contacts (email_norm) WHERE email_norm IS NOT NULL;

CREATE TABLE categories (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT,
  kind        TEXT NOT NULL DEFAULT 'manual' CHECK (kind IN ('manual', 'rule', 'lifecycle', 'rfm')),
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE customer_categories (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  assigned_by TEXT NOT NULL DEFAULT 'manual' CHECK (assigned_by IN ('manual', 'rule', 'lifecycle', 'rfm', 'import')),
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (customer_id, category_id, assigned_by)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_categories_category ON customer_categories (category_id, customer_id);

CREATE TABLE category_rules (
  category_id INTEGER PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
  expression  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE interactions (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  contact_id  INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'mailing', 'sms', 'note', 'letter', 'visit')),
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  occurred_at TEXT NOT NULL,
  summary     TEXT,
  source      TEXT,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);

CREATE TABLE sales (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('quote', 'order', 'invoice', 'credit')),
  number       TEXT,
  issued_on    TEXT NOT NULL,
  due_on       TEXT,
  amount_cents INTEGER NOT NULL,
  currency     TEXT NOT NULL DEFAULT 'EUR',
  status       TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'refused', 'paid', 'unpaid', 'cancelled')),
  label        TEXT,
  source       TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX sales_customer ON sales (customer_id, issued_on);
CREATE UNIQUE INDEX sales_number ON sales (kind, number) WHERE number IS NOT NULL;

CREATE TABLE consents (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),
  purpose     TEXT NOT NULL DEFAULT 'marketing',
  state       TEXT NOT NULL CHECK (state IN ('granted', 'refused', 'withdrawn', 'opposed')),
  source      TEXT,
  proof       TEXT,
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX consents_customer ON consents (customer_id, channel, recorded_at);

-- Salted SHA-256 of identifiers of erased or opposed people: never their data.
CREATE TABLE suppressions (
  hash       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'siret')),
  channel    TEXT NOT NULL DEFAULT 'all',
  reason     TEXT NOT NULL CHECK (reason IN ('erased', 'opposed')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (hash, channel)
) STRICT, WITHOUT ROWID;

CREATE TABLE merges (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  survivor_id INTEGER NOT NULL,
  merged_ids  TEXT NOT NULL CHECK (json_valid(merged_ids)),
  score       REAL,
  snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
  decided_by  TEXT NOT NULL DEFAULT 'person' CHECK (decided_by IN ('person', 'auto')),
  merged_at   TEXT NOT NULL,
  undone_at   TEXT
) STRICT;
CREATE INDEX merges_survivor ON merges (survivor_id);

CREATE TABLE dedupe_decisions (
  uid_a      TEXT NOT NULL,
  uid_b      TEXT NOT NULL,
  decision   TEXT NOT NULL DEFAULT 'distinct' CHECK (decision IN ('distinct')),
  decided_at TEXT NOT NULL,
  PRIMARY KEY (uid_a, uid_b),
  CHECK (uid_a < uid_b)
) STRICT, WITHOUT ROWID;

CREATE TABLE import_runs (
  id          INTEGER PRIMARY KEY,
  file_name   TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  what        TEXT NOT NULL DEFAULT 'customers',
  source      TEXT,
  started_at  TEXT NOT NULL,
  ended_at    TEXT,
  counts      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts)),
  dry_run     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Which import runs brought or changed which customer (for access requests).
CREATE TABLE customer_import_runs (
  customer_id   INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  import_run_id INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  line          INTEGER,
  action        TEXT NOT NULL CHECK (action IN ('inserted', 'updated')),
  PRIMARY KEY (customer_id, import_run_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_import_runs_run ON customer_import_runs (import_run_id);

-- The RGPD register of what was done. subject is a uid or a hash, never personal data.
CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  actor   TEXT,
  action  TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;
CREATE INDEX audit_log_subject ON audit_log (subject);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE VIRTUAL TABLE customers_fts USING fts5 (
  first_name, last_name, company_name, email, city, notes,
  content = 'customers', content_rowid = 'id',
  tokenize = "unicode61 remove_diacritics 2"
);
INSERT INTO customers_fts (customers_fts, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customers_fts (rowid, first_name, last_name, company_name, email, city, notes)
  VALUES (new.id, new.first_name, new.last_name, new.company_name, new.email, new.city, new.notes);
END;
CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customers_fts (customers_fts, rowid, first_name, last_name, company_name, email, city, notes)
  VALUES ('delete', old.id, old.first_name, old.last_name, old.company_name, old.email, old.city, old.notes);
END;
CREATE TRIGGER customers_fts_au AFTER UPDATE OF first_name, last_name, company_name, email, city, notes ON customers BEGIN
  INSERT INTO customers_fts (customers_fts, rowid, first_name, last_name, company_name, email, city, notes)
  VALUES ('delete', old.id, old.first_name, old.last_name, old.company_name, old.email, old.city, old.notes);
  INSERT INTO customers_fts (rowid, first_name, last_name, company_name, email, city, notes)
  VALUES (new.id, new.first_name, new.last_name, new.company_name, new.email, new.city, new.notes);
END;

-- Customer columns plus derived facts, the one surface the filter language reads.
CREATE VIEW customer_facts AS
SELECT
  c.*,
  CASE
    WHEN c.postal_code IS NULL OR length(c.postal_code) < 2 THEN NULL
    WHEN substr(c.postal_code, 1, 2) = '97' OR substr(c.postal_code, 1, 2) = '98' THEN substr(c.postal_code, 1, 3)
    WHEN substr(c.postal_code, 1, 2) = '20' AND substr(c.postal_code, 1, 3) IN ('200', '201') THEN '2A'
    WHEN substr(c.postal_code, 1, 2) = '20' THEN '2B'
    ELSE substr(c.postal_code, 1, 2)
  END AS department,
  coalesce((SELECT sum(s.amount_cents) FROM sales s
            WHERE s.customer_id = c.id AND s.kind IN ('invoice', 'credit') AND s.status NOT IN ('cancelled', 'draft')), 0) / 100.0 AS revenue,
  (SELECT count(*) FROM sales s
    WHERE s.customer_id = c.id AND s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) AS orders,
  (SELECT max(s.issued_on) FROM sales s
    WHERE s.customer_id = c.id AND s.kind IN ('order', 'invoice') AND s.status NOT IN ('cancelled', 'draft', 'refused')) AS last_purchase_at,
  coalesce((SELECT sum(s.amount_cents) FROM sales s
            WHERE s.customer_id = c.id AND s.kind = 'invoice' AND s.status = 'unpaid'), 0) AS unpaid_cents,
  (SELECT group_concat(DISTINCT cat.name) FROM customer_categories cc JOIN categories cat ON cat.id = cc.category_id
    WHERE cc.customer_id = c.id) AS categories
FROM customers c;
