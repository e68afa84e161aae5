// Accuracy of `carnet dedupe --dry-run --json` with the default threshold and no training:
// pairwise precision, recall and F1 (a pair of records in one cluster is a predicted pair), beside
// what a CRM does (records with the same e-mail are one). Data: FEBRL 1, 2 and 4a+4b, splink's
// fake_1000 (from ../shared/data), and French files made by bench/gen/french-people.js.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, carnet, outDir } from './lib.js';
import { buildDb, emailOnlyClusters, febrlRows, frenchRows, pairwise, splinkRows, truthMap } from './dedupe-lib.js';
import { generate } from './gen/french-people.js';

const frenchFile = (people, seed) => () => {
  const rows = [];
  for (const r of generate({ people, seed })) rows.push({ truth: r.person, input: frenchRows.fromRecord(r) });
  return rows;
};

const DATASETS = [
  { name: 'FEBRL 1', key: 'febrl1', goal: null, needs: 'febrl/dataset1.csv', rows: () => febrlRows(join(SHARED, 'febrl/dataset1.csv')) },
  { name: 'FEBRL 2', key: 'febrl2', goal: 0.995, needs: 'febrl/dataset2.csv', rows: () => febrlRows(join(SHARED, 'febrl/dataset2.csv')) },
  {
    name: 'FEBRL 4a+4b',
    key: 'febrl4',
    goal: null,
    needs: 'febrl/dataset4a.csv',
    rows: () => [...febrlRows(join(SHARED, 'febrl/dataset4a.csv')), ...febrlRows(join(SHARED, 'febrl/dataset4b.csv'))],
  },
  { name: 'splink fake_1000', key: 'fake1000', goal: 0.96, needs: 'splink-fake1000/fake_1000.csv', rows: () => splinkRows(join(SHARED, 'splink-fake1000/fake_1000.csv')) },
  { name: 'French, ~4,000 rows', key: 'french4k', goal: 0.96, rows: frenchFile(2900, 1) },
  { name: 'French, ~140,000 rows', key: 'french140k', goal: 0.92, big: true, rows: frenchFile(101_500, 2) },
];

async function database(ds, rows) {
  const path = join(outDir(), `dedupe-acc-${ds.key}.db`);
  if (existsSync(path)) return path;
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  await buildDb(tmp, rows);
  renameSync(tmp, path);
  return path;
}

export async function run({ quick = false } = {}) {
  const table = [];
  for (const ds of DATASETS) {
    if (ds.needs && !existsSync(join(SHARED, ds.needs))) continue;
    if (quick && ds.big) continue;
    const rows = ds.rows();
    const db = await database(ds, rows);
    const truth = await truthMap(db, rows);
    const r = carnet(['dedupe', '--dry-run', '--json'], { env: { CARNET_DB: db } });
    if (r.code !== 0) throw new Error(`carnet dedupe on ${ds.name} exited ${r.code}: ${r.stderr}`);
    const res = JSON.parse(r.stdout);
    const m = pairwise(res.clusters.map((c) => c.members.map((x) => x.id)), truth);
    const email = pairwise(await emailOnlyClusters(db), truth);
    const hasEmail = rows.some((x) => x.input.email);
    table.push({
      data: ds.name,
      rows: String(rows.length),
      'true pairs': String(m.truePairs),
      'e-mail equal only F1': hasEmail ? email.f1 : '— (no e-mail)',
      precision: m.precision,
      recall: m.recall,
      F1: m.f1,
      goal: ds.goal ? `≥ ${ds.goal}` : '',
      met: ds.goal ? (m.f1 >= ds.goal ? 'yes' : 'NO') : '',
      seconds: r.seconds,
      'peak RSS MB': r.rssMb,
    });
  }
  writeFileSync(join(outDir(), 'dedupe-accuracy.json'), JSON.stringify(table, null, 2));
  return [{ title: `dedupe accuracy, pairwise, default threshold, no training`, rows: table.map((row) => ({ ...row, F1: fix(row.F1), precision: fix(row.precision), recall: fix(row.recall), 'e-mail equal only F1': fix(row['e-mail equal only F1']) })) }];
}

function fix(v) {
  return typeof v === 'number' ? v.toFixed(4) : v;
}
