import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { MapEntry } from './mapping.js';
import { MAP_TARGET_NAMES, parseTargetName } from './targets.js';
import { customKey } from '../fields/custom.js';
import { KEY } from '../fields/catalogue.js';

function entry(column: string, targetName: string, where: string, own: readonly string[]): MapEntry {
  // A field of the user's own, by its key (or its name: the key is derived the same way).
  const key = customKey(targetName);
  const target = parseTargetName(targetName) ?? (own.includes(key) ? { t: 'custom' as const, key } : undefined);
  if (!target) {
    throw new UsageError(`${where}: '${targetName}' is not a field carnet knows`, `use one of: ${[...MAP_TARGET_NAMES, ...own].join(', ')}`);
  }
  if (column.trim() === '') throw new UsageError(`${where}: the column name is empty`, 'write --map "Column name=field"');
  return { column, target };
}

/**
 * --map values: `col=field` pairs (repeatable) or a JSON file
 * `{"column": "field"}`. The column is a header name (case and accents
 * ignored) or a 1-based column number; the field a customer field, a
 * pseudo field (full_name, street_number, categories, consent.email…),
 * extra.NAME, or ignore.
 */
export function parseMapOptions(values: readonly string[], own: readonly string[] = []): MapEntry[] {
  const out: MapEntry[] = [];
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    if (eq < 0 || existsSync(v)) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(v, 'utf8'));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(
          code === 'ENOENT' ? `--map ${v}: no such file, and not column=field` : `--map ${v}: not a JSON object ({"column": "field"})`,
          `write --map "Réf client=${KEY.externalId}" or --map mapping.json`,
        );
      }
      if (!json || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`--map ${v}: not a JSON object ({"column": "field"})`);
      for (const [col, field] of Object.entries(json as Record<string, unknown>)) {
        if (typeof field !== 'string') throw new UsageError(`--map ${v}: the value for '${col}' is not a field name`);
        out.push(entry(col, field, `--map ${v}`, own));
      }
      continue;
    }
    out.push(entry(v.slice(0, eq), v.slice(eq + 1), `--map ${v}`, own));
  }
  return out;
}
