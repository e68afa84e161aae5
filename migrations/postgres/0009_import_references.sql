-- Level 9: six foreign keys checked once per statement instead of once per row (issue 15).
-- A foreign key checks each inserted row on its own (a lookup and a row lock in the parent
-- table): an import of 1,000,000 rows paid it for every consent, category link and run link
-- it wrote. Here a statement-level trigger checks the statement's whole batch at once (one
-- anti-join over the transition table) and raises the same error (23503, the constraint's old
-- name); the parent's ON DELETE CASCADE is a statement-level trigger on the parent. Writers
-- queue on the schema's advisory lock, so the row lock a foreign key takes is not needed to
-- keep a parent from vanishing under a writer. `carnet copy`, `rgpd forget` and `doctor` read
-- these references back from the triggers' arguments (the dialect's foreignKeysSql).
-- Never edit once landed.

-- Child side, AFTER INSERT and AFTER UPDATE: TG_ARGV = column, parent table, ON DELETE action, constraint name.
CREATE FUNCTION carnet_ref_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  EXECUTE format('SELECT CAST(n.%1$I AS text) FROM carnet_new n WHERE n.%1$I IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM %2$I.%3$I p WHERE p.id = n.%1$I) LIMIT 1', TG_ARGV[0], TG_TABLE_SCHEMA, TG_ARGV[1])
    INTO bad;
  IF bad IS NOT NULL THEN
    RAISE foreign_key_violation USING
      MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"', TG_TABLE_NAME, TG_ARGV[3]),
      DETAIL = format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[0], bad, TG_ARGV[1]),
      SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0], CONSTRAINT = TG_ARGV[3];
  END IF;
  RETURN NULL;
END $$;

-- Parent side, AFTER DELETE: TG_ARGV = child table, child column, ON DELETE action, constraint name.
CREATE FUNCTION carnet_ref_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  IF TG_ARGV[2] = 'CASCADE' THEN
    EXECUTE format('DELETE FROM %1$I.%2$I c WHERE c.%3$I IN (SELECT o.id FROM carnet_old o)', TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1]);
  ELSE
    EXECUTE format('SELECT CAST(o.id AS text) FROM carnet_old o WHERE EXISTS (SELECT 1 FROM %1$I.%2$I c WHERE c.%3$I = o.id) LIMIT 1',
        TG_TABLE_SCHEMA, TG_ARGV[0], TG_ARGV[1])
      INTO bad;
    IF bad IS NOT NULL THEN
      RAISE foreign_key_violation USING
        MESSAGE = format('update or delete on table "%s" violates foreign key constraint "%s" on table "%s"', TG_TABLE_NAME, TG_ARGV[3], TG_ARGV[0]),
        DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', bad, TG_ARGV[0]),
        SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_ARGV[3];
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- One reference: drop the foreign key, make its three triggers (a trigger with a transition
-- table has one event only). Their names are the constraint's, so errors name the same thing.
CREATE FUNCTION carnet_ref_from_fk(child text, col text, parent text, action text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  name text := child || '_' || col || '_fkey';
  args text := format('%L, %L, %L, %L', col, parent, action, name);
BEGIN
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', child, name);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS carnet_new FOR EACH STATEMENT EXECUTE FUNCTION carnet_ref_check(%s)', name, child, args);
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS carnet_new FOR EACH STATEMENT EXECUTE FUNCTION carnet_ref_check(%s)', name || '_update', child, args);
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS carnet_old FOR EACH STATEMENT EXECUTE FUNCTION carnet_ref_deleted(%s)',
    name, parent, format('%L, %L, %L, %L', child, col, action, name));
END $$;

SELECT carnet_ref_from_fk('customer_import_runs', 'customer_id', 'customers', 'CASCADE');
SELECT carnet_ref_from_fk('customer_import_runs', 'import_run_id', 'import_runs', 'CASCADE');
SELECT carnet_ref_from_fk('consents', 'customer_id', 'customers', 'CASCADE');
SELECT carnet_ref_from_fk('consents', 'proof_id', 'consent_proofs', 'NO ACTION');
SELECT carnet_ref_from_fk('customer_categories', 'customer_id', 'customers', 'CASCADE');
SELECT carnet_ref_from_fk('customer_categories', 'category_id', 'categories', 'CASCADE');
DROP FUNCTION carnet_ref_from_fk(text, text, text, text);
