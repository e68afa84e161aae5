import type { CustomFieldDef, CustomType, CustomValue } from '../../core/fields/custom.js';
import type { Db } from '../port.js';
import { StatementCache, type Stmt } from '../statements.js';
import { DIALECTS, dialectOf, type Dialect } from '../dialect.js';

interface DefRow {
  key: string;
  name: string;
  type: string;
  choices: string;
}

/** The JSON path of a custom field's key (keys are [a-z0-9_], so no quoting is needed). */
export function customPath(key: string): string {
  if (!/^[a-z0-9_]+$/.test(key)) throw new Error(`bad custom field key ${JSON.stringify(key)}`);
  return `$.${key}`;
}

/**
 * The SQL expression of a custom field's value on a customers row aliased `alias`:
 * what the filter, export and dedupe read. SQLite's json_extract gives numbers as
 * numbers and true/false as 1/0; on PostgreSQL `as` says which to rebuild (text, or
 * a number where yes/no counts as 1/0).
 */
export function customFieldSql(alias: string, key: string, d: Dialect = DIALECTS.sqlite, as: 'text' | 'number' = 'text'): string {
  if (d.engine === 'sqlite') return `json_extract(${alias}.custom, '${customPath(key)}')`;
  const v = `(CAST(${alias}.custom AS json) ->> '${customPath(key).slice(2)}')`;
  return as === 'text' ? v : `CASE ${v} WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE CAST(${v} AS double precision) END`;
}

/** A JSON path for a key of extra (user text, bound as a parameter). */
function extraPath(name: string): string {
  return `$."${name.replace(/"/g, '')}"`;
}

/** Definitions of the fields of the user's own, and the moves of their values between extra and custom. */
export class CustomFieldsRepo {
  /** Statements run once per customer (adoption, removal), prepared on first use. */
  private readonly cache: StatementCache;

  private readonly d: Dialect;

  constructor(private readonly db: Db) {
    this.cache = new StatementCache(db);
    this.d = dialectOf(db);
  }

  /**
   * PostgreSQL has no json_set/json_remove on text: a JSON merge patch does both ({"k": v} sets,
   * {"k": null} removes), with SQLite's bytes (carnet_json_patch, migrations/postgres).
   */
  private get pg(): boolean {
    return this.d.engine !== 'sqlite';
  }

  private stmt(sql: string): Stmt {
    return this.cache.get(sql);
  }

  list(): CustomFieldDef[] {
    const rows = this.db.prepare('SELECT key, name, type, choices FROM custom_fields ORDER BY id').all() as DefRow[];
    return rows.map((r) => ({ key: r.key, name: r.name, type: r.type as CustomType, choices: JSON.parse(r.choices) as string[] }));
  }

  add(def: CustomFieldDef, at: string): void {
    this.db
      .prepare('INSERT INTO custom_fields (key, name, type, choices, created_at) VALUES (@key, @name, @type, @choices, @at)')
      .run({ key: def.key, name: def.name, type: def.type, choices: JSON.stringify(def.choices), at });
  }

  rename(oldKey: string, name: string, key: string): void {
    this.db.prepare('UPDATE custom_fields SET key = @key, name = @name WHERE key = @old').run({ key, name, old: oldKey });
    if (key !== oldKey && this.pg) {
      this.db
        .prepare(`UPDATE customers SET custom = carnet_json_patch(carnet_json_patch(custom, json_build_object(CAST(@old AS text), NULL)::text),
            json_build_object(CAST(@new AS text), CAST(custom AS json) -> CAST(@old AS text))::text)
          WHERE (CAST(custom AS json) -> CAST(@old AS text)) IS NOT NULL`)
        .run({ old: oldKey, new: key });
    } else if (key !== oldKey) {
      this.db
        .prepare(`UPDATE customers SET custom = json_set(json_remove(custom, @old), @new, json_extract(custom, @old)) WHERE json_type(custom, @old) IS NOT NULL`)
        .run({ old: customPath(oldKey), new: customPath(key) });
    }
  }

  setChoices(key: string, choices: readonly string[]): void {
    this.db.prepare('UPDATE custom_fields SET choices = @choices WHERE key = @key').run({ key, choices: JSON.stringify(choices) });
  }

  removeDef(key: string): void {
    this.db.prepare('DELETE FROM custom_fields WHERE key = ?').run(key);
  }

  /** Every key used in extra across the file. */
  extraKeys(): string[] {
    return (this.db.prepare(`SELECT DISTINCT j.key AS key FROM customers, ${this.d.jsonKeys('customers.extra')}`).all() as { key: string }[]).map((r) => r.key);
  }

  /** Customers with a value under this name in extra. */
  extraValues(name: string): { id: number; value: string }[] {
    if (this.pg) {
      return this.db
        .prepare(`SELECT id, CAST(extra AS json) ->> CAST(@p AS text) AS value FROM customers WHERE (CAST(extra AS json) -> CAST(@p AS text)) IS NOT NULL ORDER BY id`)
        .all({ p: name.replace(/"/g, '') }) as { id: number; value: string }[];
    }
    return this.db
      .prepare(`SELECT id, CAST(json_extract(extra, @p) AS TEXT) AS value FROM customers WHERE json_type(extra, @p) IS NOT NULL ORDER BY id`)
      .all({ p: extraPath(name) }) as { id: number; value: string }[];
  }

  /** Customers with a value for this custom field, as stored. */
  customValues(key: string): { id: number; value: CustomValue }[] {
    if (this.pg) {
      // The value's JSON text, read back by JSON.parse: numbers, text and true/false as stored.
      return (this.db
        .prepare(`SELECT id, CAST(CAST(custom AS json) -> CAST(@p AS text) AS text) AS raw FROM customers WHERE (CAST(custom AS json) -> CAST(@p AS text)) IS NOT NULL ORDER BY id`)
        .all({ p: customPath(key).slice(2) }) as { id: number; raw: string }[]).map((r) => ({ id: r.id, value: JSON.parse(r.raw) as CustomValue }));
    }
    return (this.db
      .prepare(`SELECT id, json_extract(custom, @p) AS value, json_type(custom, @p) AS t FROM customers WHERE json_type(custom, @p) IS NOT NULL ORDER BY id`)
      .all({ p: customPath(key) }) as { id: number; value: string | number; t: string }[]).map((r) => ({ id: r.id, value: r.t === 'true' ? true : r.t === 'false' ? false : r.value }));
  }

  /** Moves one value from extra (under `name`) to custom (under `key`). */
  adopt(id: number, name: string, key: string, value: CustomValue, at: string): void {
    if (this.pg) {
      this.stmt(`UPDATE customers SET custom = carnet_json_patch(custom, @cp), extra = carnet_json_patch(extra, @ep), updated_at = @at WHERE id = @id`)
        .run({ id, cp: JSON.stringify({ [customPath(key).slice(2)]: value }), ep: JSON.stringify({ [name.replace(/"/g, '')]: null }), at });
      return;
    }
    this.stmt(`UPDATE customers SET custom = json_set(custom, @k, json(@v)), extra = json_remove(extra, @e), updated_at = @at WHERE id = @id`)
      .run({ id, k: customPath(key), v: JSON.stringify(value), e: extraPath(name), at });
  }

  /** Moves one value back from custom to extra (as text), or drops it when `text` is null. */
  release(id: number, key: string, name: string, text: string | null, at: string): void {
    if (this.pg) {
      this.stmt(`UPDATE customers SET custom = carnet_json_patch(custom, @cp), extra = carnet_json_patch(extra, @ep), updated_at = @at WHERE id = @id`)
        .run({ id, cp: JSON.stringify({ [customPath(key).slice(2)]: null }), ep: text === null ? '{}' : JSON.stringify({ [name.replace(/"/g, '')]: text }), at });
      return;
    }
    if (text === null) {
      this.stmt(`UPDATE customers SET custom = json_remove(custom, @k), updated_at = @at WHERE id = @id`).run({ id, k: customPath(key), at });
      return;
    }
    this.stmt(`UPDATE customers SET custom = json_remove(custom, @k), extra = json_set(extra, @e, @t), updated_at = @at WHERE id = @id`)
      .run({ id, k: customPath(key), e: extraPath(name), t: text, at });
  }

  /** How many customers hold a value for each custom field (the register). */
  filledCounts(keys: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of keys) {
      out[k] = this.pg
        ? (this.db.prepare(`SELECT count(*) AS n FROM customers WHERE (CAST(custom AS json) -> CAST(? AS text)) IS NOT NULL`).get(customPath(k).slice(2)) as { n: number }).n
        : (this.db.prepare(`SELECT count(*) AS n FROM customers WHERE json_type(custom, ?) IS NOT NULL`).get(customPath(k)) as { n: number }).n;
    }
    return out;
  }

  /** Sets (or with null, removes) custom values of one customer. */
  setValues(id: number, values: Readonly<Record<string, CustomValue | null>>, at: string): void {
    if (this.pg) {
      const patch: Record<string, CustomValue | null> = {};
      for (const [k, v] of Object.entries(values)) patch[customPath(k).slice(2)] = v;
      this.db.prepare('UPDATE customers SET custom = carnet_json_patch(custom, @patch), updated_at = @at WHERE id = @id').run({ id, patch: JSON.stringify(patch), at });
      return;
    }
    const stmt = this.db.prepare(`UPDATE customers SET custom = CASE WHEN @v IS NULL THEN json_remove(custom, @k) ELSE json_set(custom, @k, json(@v)) END, updated_at = @at WHERE id = @id`);
    for (const [k, v] of Object.entries(values)) stmt.run({ id, k: customPath(k), v: v === null ? null : JSON.stringify(v), at });
  }

  /** The custom values of one customer. */
  valuesOf(id: number): Record<string, CustomValue> {
    const r = this.db.prepare('SELECT custom FROM customers WHERE id = ?').get(id) as { custom: string } | undefined;
    return r ? (JSON.parse(r.custom) as Record<string, CustomValue>) : {};
  }
}
