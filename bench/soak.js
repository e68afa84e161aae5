// The long versions of the hardening tests: 20 SIGKILLs per operation, thousands of fuzz cases,
// longer concurrent runs. They are the same test files as npm test's quick versions, run with
// bigger numbers; each test appends what it saw to a report read back here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, outDir } from './lib.js';

export async function run({ quick } = {}) {
  const report = join(outDir(), 'soak-report.ndjson');
  rmSync(report, { force: true });
  const env = {
    ...process.env,
    CARNET_SOAK_REPORT: report,
    CARNET_CRASH_KILLS: quick ? '5' : '20',
    CARNET_CRASH_SIZE: quick ? '6000' : '20000',
    CARNET_FUZZ_RUNS: quick ? '1000' : '5000',
    CARNET_CONCURRENCY_ROUNDS: quick ? '30' : '100',
  };
  const files = ['test/e2e/crash-safety.test.ts', 'test/unit/import-fuzz.test.ts', 'test/e2e/concurrency.test.ts'];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--testTimeout=3600000', '--hookTimeout=600000', ...files], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const rows = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const summary = /Tests\s+.*$/m.exec(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''))?.[0] ?? 'no summary';
  return [
    { title: `soak: kills, fuzz and concurrency (${((Date.now() - t0) / 1000).toFixed(0)} s; vitest: ${summary.trim()}; exit ${r.status})`, rows },
  ];
}
