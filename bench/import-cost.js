// Per-row CPU cost of each stage of carnet import's read path, measured in this process on
// the first rows of the benchmark file (CPU time, so that a busy machine disturbs it less
// than wall time): what to optimise, and how much of it is normalisation.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { parseText } from '../dist/io/csv-in/fast-records.js';
import Database from 'better-sqlite3';
import { CustomerRowBuilder } from '../dist/core/import/row.js';
import { buildMapping } from '../dist/core/import/mapping.js';
import { packCustomer } from '../dist/core/import/stage-layout.js';
import { ImportRepo } from '../dist/db/repositories/import.js';
import { filledColumns } from '../dist/db/repositories/import-stage-rows.js';
import * as N from '../dist/core/normalise/index.js';

function cpu(fn) {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

export function costs(file, rows = 100_000) {
  const text = readFileSync(file);
  const cut = (() => {
    let at = 0;
    for (let i = 0; i <= rows; i++) at = text.indexOf(10, at) + 1;
    return at;
  })();
  const head = text.subarray(0, cut);
  let records;
  // Twice: the first run warms the JIT.
  parse(head, { delimiter: ';', encoding: 'utf8', relax_column_count: true, skip_empty_lines: true, on_record: (r) => r });
  const libraryMs = cpu(() => {
    records = parse(head, { delimiter: ';', encoding: 'utf8', relax_column_count: true, skip_empty_lines: true, on_record: (r) => r });
  });
  // carnet's own reader (src/io/csv-in/fast-records.ts): unquoted lines split by hand, quoted records to csv-parse.
  const textHead = head.toString('utf8');
  const opts = { delimiter: ';', firstLine: 1, eol: 10, skipHeader: false };
  parseText(textHead, opts);
  let fast;
  const parseMs = cpu(() => {
    fast = parseText(textHead, opts);
  });
  if (fast.records.length !== records.length) throw new Error(`import-cost: carnet's reader gave ${fast.records.length} records, csv-parse ${records.length}`);
  // What follows works on carnet's records, as the import does.
  records = fast.records;
  const header = records.shift();
  const n = records.length;
  const plan = buildMapping(header).plan;
  const b = new CustomerRowBuilder(plan, { key: 'auto', source: null, categories: [], defaultCountry: null });
  let built = [];
  records.forEach((r) => b.build(r));
  const buildMs = cpu(() => {
    built = records.map((r) => b.build(r));
  });
  const inputs = records.map((r) => ({ externalId: r[0], civility: r[1], firstName: r[2], lastName: r[3], companyName: r[4], siret: r[5], email: r[6], phone: r[7], addressLine1: r[8], postalCode: r[9], city: r[10], country: r[11], extra: { "Canal d'acquisition": r[15] } }));
  inputs.forEach((i) => N.normaliseCustomer(i));
  const normMs = cpu(() => inputs.forEach((i) => N.normaliseCustomer(i)));
  const part = (f) => {
    records.forEach(f);
    return cpu(() => records.forEach(f));
  };
  const flat = [];
  const packMs = cpu(() => built.forEach((r, i) => r.ok && flat.push(packCustomer(i, i + 2, r.row))));
  const db = new Database('');
  const repo = new ImportRepo(db);
  repo.createStage('customers');
  const stageMs = cpu(() => repo.stage(flat, [], []));
  // What a staged row binds: the columns some row fills (StageRowWriter leaves the others out).
  const width = flat[0]?.length ?? 0;
  const bound = filledColumns(flat, width).length;
  const per = (ms) => (ms * 1000) / n;
  const rowsOut = [
    { step: "carnet's CSV reader (fast-records, line numbers)", 'µs/row': per(parseMs) },
    { step: '  csv-parse alone on the same rows, for reference', 'µs/row': per(libraryMs) },
    { step: 'row builder incl. normaliseCustomer', 'µs/row': per(buildMs) },
    { step: '  of which normaliseCustomer', 'µs/row': per(normMs) },
    { step: '    cleanText ×13 fields', 'µs/row': per(part((r) => { for (let k = 0; k < 13; k++) N.cleanText(r[k]); })) },
    { step: '    normaliseEmail', 'µs/row': per(part((r) => N.normaliseEmail(r[6]))) },
    { step: '    normalisePhone', 'µs/row': per(part((r) => N.normalisePhone(r[7], 'phone', 'FR'))) },
    { step: '    normaliseSiret', 'µs/row': per(part((r) => N.normaliseSiret(r[5]))) },
    { step: '    normalisePostalCode', 'µs/row': per(part((r) => N.normalisePostalCode(r[9], 'FR'))) },
    { step: '    normaliseCountry', 'µs/row': per(part((r) => N.normaliseCountry(r[11]))) },
    { step: '    normaliseCivility', 'µs/row': per(part((r) => N.normaliseCivility(r[1]))) },
    { step: '    legalFormInName', 'µs/row': per(part((r) => r[4] && N.legalFormInName(r[4]))) },
    { step: '  parseDateTime (Date de création)', 'µs/row': per(part((r) => N.parseDateTime(r[14], 'created_at'))) },
    { step: 'pack for staging', 'µs/row': per(packMs) },
    { step: `stage into SQLite (TEMP table, ${bound} of ${width} values/row bound)`, 'µs/row': per(stageMs) },
  ];
  db.close();
  return rowsOut;
}
