// FEBRL-like people in entities of 2 to 6 records (the shape of FEBRL's dataset3, which ../shared
// lacks): originals drawn from FEBRL dataset4a's "org" records (BSD-3, read from ../shared/data), each
// given 1 to 5 duplicates corrupted the way FEBRL's generator does — typos (insert, delete, substitute,
// transpose), OCR confusions, phonetic spellings, missing values, a space inserted, names swapped —
// with up to two changes per field and up to five per record. No social-security number.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SHARED } from '../lib.js';
import { rng } from '../rng.js';

export const FEBRL_SOURCE = join(SHARED, 'febrl', 'dataset4a.csv');
const FIELDS = [['given_name', 20], ['surname', 20], ['street_number', 8], ['address_1', 15], ['address_2', 6], ['suburb', 10], ['postcode', 8], ['state', 3], ['date_of_birth', 10]];
const OCR = [['0', 'o'], ['1', 'l'], ['5', 's'], ['8', 'b'], ['m', 'rn'], ['rn', 'm'], ['cl', 'd'], ['g', 'q'], ['i', 'l'], ['u', 'v'], ['h', 'b']];
const PHONETIC = [['ph', 'f'], ['f', 'ph'], ['ck', 'k'], ['c', 'k'], ['k', 'c'], ['ee', 'ea'], ['ie', 'y'], ['y', 'ie'], ['ou', 'ow'], ['th', 't'], ['s', 'z'], ['mm', 'm'], ['ll', 'l'], ['tt', 't']];

export function febrlLike({ seed = 1, entities = 2000, extraDuplicates = 1000 } = {}) {
  if (!existsSync(FEBRL_SOURCE)) return [];
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const all = parse(readFileSync(FEBRL_SOURCE), { columns: true, trim: true, skip_empty_lines: true }).filter((x) => x.rec_id.endsWith('-org'));
  // Seeded choice of originals (Fisher–Yates prefix).
  for (let i = 0; i < entities && i < all.length; i++) {
    const j = i + Math.floor(r() * (all.length - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const originals = all.slice(0, entities);
  const totalW = FIELDS.reduce((s, [, w]) => s + w, 0);
  const field = () => {
    let x = r() * totalW;
    for (const [f, w] of FIELDS) if ((x -= w) < 0) return f;
    return 'surname';
  };
  const typo = (s) => {
    if (!s) return s;
    const i = Math.floor(r() * s.length);
    const k = r();
    const letter = 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(r() * (/\d/.test(s) ? 36 : 26))];
    if (k < 0.25 || s.length < 2) return s.slice(0, i) + letter + s.slice(i);
    if (k < 0.5) return s.slice(0, i) + s.slice(i + 1);
    if (k < 0.75) return s.slice(0, i) + letter + s.slice(i + 1);
    const j = Math.min(i, s.length - 2);
    return s.slice(0, j) + s[j + 1] + s[j] + s.slice(j + 2);
  };
  const replaceOne = (s, table) => {
    const hits = table.filter(([a]) => s.includes(a));
    if (hits.length === 0) return typo(s);
    const [a, b] = pick(hits);
    return s.replace(a, b);
  };
  const corrupt = (rec) => {
    const d = { ...rec };
    const mods = 1 + Math.floor(r() * 5);
    const perField = new Map();
    for (let m = 0; m < mods; m++) {
      if (r() < 0.05) {
        [d.given_name, d.surname] = [d.surname, d.given_name];
        continue;
      }
      const f = field();
      if ((perField.get(f) ?? 0) >= 2) continue;
      perField.set(f, (perField.get(f) ?? 0) + 1);
      const k = r();
      if (k < 0.5) d[f] = typo(d[f]);
      else if (k < 0.65) d[f] = '';
      else if (k < 0.75) d[f] = replaceOne(d[f] ?? '', OCR);
      else if (k < 0.9) d[f] = replaceOne(d[f] ?? '', PHONETIC);
      else if ((d[f] ?? '').length > 3) {
        const i = 1 + Math.floor(r() * ((d[f] ?? '').length - 2));
        d[f] = `${d[f].slice(0, i)} ${d[f].slice(i)}`;
      }
    }
    return d;
  };
  const rows = [];
  const sizes = originals.map(() => 1);
  for (let k = 0; k < extraDuplicates; k++) {
    // Poisson-like: most entities get one duplicate, a few up to five.
    let i = Math.floor(r() * originals.length);
    while (sizes[i] >= 5) i = (i + 1) % originals.length;
    sizes[i]++;
  }
  originals.forEach((o, k) => {
    rows.push({ ...o, entity: String(k) });
    for (let c = 0; c < sizes[k]; c++) rows.push({ ...corrupt(o), entity: String(k) });
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}
