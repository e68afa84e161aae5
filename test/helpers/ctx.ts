import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../../src/core/context.js';
import { Store } from '../../src/db/store.js';

/** A core context over a fresh in-memory database migrated by the real runner. */
export function memoryCtx(now = '2026-11-23T10:00:00.000Z'): Ctx & { store: Store } {
  const store = Store.open(':memory:');
  const t = Date.parse(now);
  return { store, now: () => new Date(t), actor: 'test' };
}

/** A context whose clock the test moves. */
export function clockCtx(now: string): { ctx: Ctx & { store: Store }; setNow: (iso: string) => void } {
  const store = Store.open(':memory:');
  let t = Date.parse(now);
  return { ctx: { store, now: () => new Date(t), actor: 'test' }, setNow: (iso: string) => void (t = Date.parse(iso)) };
}

export function tempDir(prefix = 'carnet-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
