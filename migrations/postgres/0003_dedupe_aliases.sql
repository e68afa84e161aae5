-- Identifiers of records merged away by dedupe, kept on the survivor, so that
-- the nightly import of the same files finds the survivor instead of bringing
-- the duplicate back. Removed with the merge's undo or the survivor's erasure.
CREATE TABLE customer_aliases (
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  merge_id    bigint NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
  kind        text COLLATE "C" NOT NULL CHECK (kind IN ('external_id', 'siret', 'email')),
  value       text COLLATE "C" NOT NULL,
  source      text COLLATE "C"
);
CREATE INDEX customer_aliases_lookup ON customer_aliases (kind, value);
CREATE INDEX customer_aliases_customer ON customer_aliases (customer_id);
CREATE INDEX customer_aliases_merge ON customer_aliases (merge_id);
