#!/usr/bin/env node
// npm run bench [-- suite…]: speed, memory and accuracy goals, printed as tables.
// Not part of npm test: a noisy machine must never fail the tests.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, printTable } from './lib.js';

const ALL = ['startup', 'import', 'xlsx', 'export', 'fields', 'dedupe', 'dedupe-accuracy', 'categorise', 'engines', 'soak'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const suites = (wanted.length ? wanted : ALL).filter((s) => existsSync(join(ROOT, 'bench', `${s}.js`)));

for (const name of suites) {
  const t0 = Date.now();
  try {
    const mod = await import(`./${name}.js`);
    const tables = await mod.run({ quick: process.argv.includes('--quick') });
    for (const t of tables) printTable(t.title, t.rows);
    console.error(`[bench] ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`[bench] ${name} failed: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 1;
  }
}
