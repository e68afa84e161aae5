import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { PER_ENGINE_E2E, PG_ONLY_E2E, PG_READY, SQLITE_ONLY_E2E } from '../helpers/e2e-engines.js';

/**
 * The lists in test/helpers/e2e-engines.ts decide what `npm test` runs where: a file that runs each
 * engine itself but is not listed would run twice more on PostgreSQL (an e2e file), or be taken for
 * SQLite-only; a listed file that was renamed would silently drop out.
 */
const files = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => `${dir}/${f}`);
const ALL = [...files('test/unit'), ...files('test/e2e')];

describe('which test file runs on which engine', () => {
  it('lists every file that runs the engines itself, and only files that exist', () => {
    const own = ALL.filter((f) => /forEachEngine\(|engineSandbox\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    const listed = new Set([...PG_READY, ...Object.keys(PG_ONLY_E2E)]);
    expect(own.filter((f) => !listed.has(f))).toEqual([]);
    for (const f of [...listed, ...Object.keys(SQLITE_ONLY_E2E)]) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });

  it('leaves out of the postgres project exactly the e2e files that run each engine themselves', () => {
    expect(PER_ENGINE_E2E.every((f) => f.startsWith('test/e2e/'))).toBe(true);
    expect(PER_ENGINE_E2E.filter((f) => f in SQLITE_ONLY_E2E)).toEqual([]);
  });
});
