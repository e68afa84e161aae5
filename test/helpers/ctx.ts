import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { Ctx } from '../../src/core/context.js';
import { Store } from '../../src/db/store.js';
import { whenSuiteEnds, type TestEngine } from './engines.js';
import { pooledPgStore } from './pg-pool.js';

const NOW = '2026-11-23T10:00:00.000Z';

/**
 * A fresh database migrated by the real runner: SQLite in memory, or an
 * empty carnet schema on the PostgreSQL test server (inside forEachEngine,
 * which starts it). A PostgreSQL store (its connection and schema) goes back
 * to the pool when the test ends — or, opened outside a test (beforeAll),
 * when the suite does.
 */
export function freshStore(engine: TestEngine = 'sqlite'): Store {
  if (engine === 'sqlite') return Store.open(':memory:');
  const { store, release } = pooledPgStore();
  try {
    onTestFinished(release);
  } catch {
    whenSuiteEnds(release);
  }
  return store;
}

/** A core context over a fresh database of the engine. */
export function memoryCtx(engine: TestEngine = 'sqlite', now = NOW): Ctx & { store: Store } {
  const store = freshStore(engine);
  const t = Date.parse(now);
  return { store, now: () => new Date(t), actor: 'test' };
}

/** A context whose clock the test moves. */
export function clockCtx(now: string, engine: TestEngine = 'sqlite'): { ctx: Ctx & { store: Store }; setNow: (iso: string) => void } {
  const store = freshStore(engine);
  let t = Date.parse(now);
  return { ctx: { store, now: () => new Date(t), actor: 'test' }, setNow: (iso: string) => void (t = Date.parse(iso)) };
}

export function tempDir(prefix = 'carnet-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
