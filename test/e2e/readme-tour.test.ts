import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/ctx.js';
import { dbFor, forEachEngine, PG_START_MS, type TestEngine } from '../helpers/engines.js';

/** The README's tour, run as a new user would paste it: every step must work. */
interface Step {
  command: string;
  needsTerminal: boolean;
}

function tourSteps(): Step[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A five-minute tour'), readme.indexOf('\n## ', readme.indexOf('## A five-minute tour') + 5));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').filter((b) => b.includes('npx carnet'));
  const steps: Step[] = [];
  for (const block of blocks) {
    let current = '';
    let comment = '';
    const flush = () => {
      if (current) steps.push({ command: current, needsTerminal: /in a terminal/.test(comment) });
      current = '';
      comment = '';
    };
    for (const line of block.split('\n')) {
      const hash = line.search(/\s#\s/);
      const code = (hash >= 0 ? line.slice(0, hash) : line).trimEnd();
      const note = hash >= 0 ? line.slice(hash) : '';
      if (code.trim() === '') {
        comment += note;
        continue;
      }
      if (current.endsWith('\\')) current = current.slice(0, -1).trimEnd() + ' ' + code.trim();
      else {
        flush();
        current = code.trim();
      }
      comment += note;
    }
    flush();
  }
  return steps.filter((s) => !s.command.startsWith('export '));
}

/** What each engine's tour wrote, compared at the end. */
const written: Partial<Record<TestEngine, string>> = {};

forEachEngine('the README tour', (engine) => {
  const steps = tourSteps();
  const t = tempDir('carnet-tour-');
  symlinkSync(join(ROOT, 'examples'), join(t.dir, 'examples'));
  afterAll(() => t.cleanup());
  let db = '';
  beforeAll(async () => {
    db = await dbFor(engine, t.dir);
  }, PG_START_MS);

  it('has the steps of every capability', () => {
    const text = steps.map((s) => s.command).join('\n');
    for (const c of ['init', 'add', 'import', 'dedupe', 'categorise', 'export', 'rgpd forget', 'rgpd access', 'rgpd register']) {
      expect(text).toContain(`npx carnet ${c}`);
    }
  });

  it('runs from top to bottom as pasted', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: t.dir, XDG_DATA_HOME: join(t.dir, 'data'), CARNET_DB: db, CARNET_NOW: '2026-11-23T10:00:00Z', CI: 'true' };
    for (const step of steps) {
      const command = step.command.replaceAll('npx carnet', `'${process.execPath}' '${BIN}'`);
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd: t.dir, env, encoding: 'utf8' });
      const expected = step.needsTerminal ? 2 : 0;
      expect(r.status, `${step.command}\n${r.stderr}`).toBe(expected);
      expect(r.stderr, step.command).not.toMatch(/bug in carnet|^\s+at /m);
    }
    const last = spawnSync(process.execPath, [BIN, 'import', 'examples/clients.csv', '--json'], { cwd: t.dir, env, encoding: 'utf8' });
    // Hélène (erased) and Zoé (opposed) are both kept out of re-imports.
    expect(JSON.parse(last.stdout)).toMatchObject({ suppressed: 2, inserted: 0 });
    written[engine] = readFileSync(join(t.dir, 'brevo.csv'), 'utf8');
    // The same tour on the other engine wrote the same bytes for Brevo.
    const other = written[engine === 'sqlite' ? 'postgres' : 'sqlite'];
    if (other !== undefined) expect(written[engine]).toBe(other);
    // Thirty commands, each a process; PGlite (PostgreSQL in WebAssembly) is slow on a loaded machine.
  }, 900_000);
});
