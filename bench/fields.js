// Fields of the user's own at scale: `list --where` on a custom field (stored in the JSON column
// customers.custom, read with json_extract) against the same filter on a built-in field, over a
// file of 1,000,000 customers (--quick: 100,000). Goal: the custom field within 2x of the built-in.
// Also the time of `field add` adopting a million values kept in extra.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ensure } from './gen/customers-csv.js';
import { carnet, median, tempDir, BIN } from './lib.js';

const PAIRS = [
  // [what, built-in filter, the same filter on a field of one's own]
  ['equality, few matches', 'city = "Nulle-part"', 'canal = "nulle part"'],
  ['equality, ~20 % match', 'civility = "Mme"', 'canal = salon'],
  ['is not empty, no match', 'job_title is not empty', 'canal is empty'],
  ['contains', 'city ~ "zzz"', 'canal ~ "zzz"'],
];

export async function run({ quick = false } = {}) {
  const rows = quick ? 100_000 : 1_000_000;
  const file = await ensure({ rows, encoding: 'utf8' });
  const { dir, cleanup } = tempDir('carnet-bench-fields-');
  const load = loadavg()[0].toFixed(1);
  try {
    const db = join(dir, 'fields.db');
    const env = { CARNET_DB: db };
    const imp = carnet(['import', file, '-q'], { env });
    if (imp.code !== 0) throw new Error(imp.stderr);
    const add = carnet(['field', 'add', "Canal d'acquisition", '--type', 'text', '--json'], { env });
    if (add.code !== 0) throw new Error(add.stderr);
    carnet(['field', 'rename', 'canal_d_acquisition', 'Canal'], { env });
    const adopted = JSON.parse(add.stdout).adopted;
    const out = [];
    for (const [what, builtin, own] of PAIRS) {
      const a = median(process.execPath, [BIN, 'list', '--where', builtin, '--csv'], 5, { env });
      const b = median(process.execPath, [BIN, 'list', '--where', own, '--csv'], 5, { env });
      if (a.code !== 0 || b.code !== 0) throw new Error(a.stderr + b.stderr);
      out.push({ filter: what, 'built-in s': a.seconds.toFixed(2), 'own field s': b.seconds.toFixed(2), ratio: (b.seconds / a.seconds).toFixed(2), goal: '≤ 2' });
    }
    rmSync(db, { force: true });
    return [
      { title: `fields of your own: list --where at ${rows.toLocaleString('en-US')} customers (load ${load})`, rows: out },
      { title: 'field add adopting values kept in extra', rows: [{ values: adopted, seconds: add.seconds.toFixed(1) }] },
    ];
  } finally {
    cleanup();
  }
}
