// Helpers for the dedupe benchmarks: load reference files into a carnet database (through the
// same normalisation every write path uses), read the truth, and score clusters pairwise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ROOT } from './lib.js';

const dist = (p) => import(join(ROOT, 'dist', p));

/** FEBRL: rec-N-org / rec-N-dup-K share N. Fields go to columns; soc_sec_id and state to extra. */
export function febrlRows(file) {
  const recs = parse(readFileSync(file), { columns: true, trim: true, skip_empty_lines: true });
  return recs.map((r) => ({
    truth: /^rec-(\d+)-/.exec(r.rec_id)?.[1] ?? r.rec_id,
    input: {
      externalId: r.rec_id,
      firstName: r.given_name,
      lastName: r.surname,
      addressLine1: [r.street_number, r.address_1].filter(Boolean).join(' '),
      addressLine2: r.address_2,
      city: r.suburb,
      postalCode: r.postcode,
      country: 'AU',
      birthDate: r.date_of_birth,
      extra: { ...(r.soc_sec_id ? { soc_sec_id: r.soc_sec_id } : {}), ...(r.state ? { state: r.state } : {}) },
    },
  }));
}

/** splink's fake_1000: the `cluster` column is the truth. */
export function splinkRows(file) {
  const recs = parse(readFileSync(file), { columns: true, trim: true, skip_empty_lines: true });
  return recs.map((r) => ({
    truth: r.cluster,
    input: { externalId: r.unique_id, firstName: r.first_name, lastName: r.surname, birthDate: r.dob, city: r.city, email: r.email, country: 'GB' },
  }));
}

/** A file made by bench/gen/french-people.js: `person` is the truth. */
export function frenchRows(file) {
  const recs = parse(readFileSync(file), { columns: true, delimiter: ';', skip_empty_lines: true, relax_quotes: true });
  return recs.map((r) => ({ truth: r.person, input: frenchRows.fromRecord(r) }));
}

/** One generated record (CSV columns) → the fields carnet add or import would get. */
frenchRows.fromRecord = function fromRecord(r) {
  return {
    externalId: r.ref,
    civility: r.civilite,
    firstName: r.prenom,
    lastName: r.nom,
    companyName: r.societe,
    siret: r.siret,
    email: r.email,
    phone: r.telephone,
    mobile: r.portable,
    addressLine1: r.adresse,
    postalCode: r.code_postal,
    city: r.ville,
    birthDate: r.date_naissance,
    extra: {},
  };
};

/**
 * Writes rows into a new database at `path` through normaliseCustomer and
 * import's row policy (a row without a name but with an external id is kept). A
 * value the normaliser refuses (a FEBRL birth date of 19301332) is kept in
 * extra under its field name, as import does with a column it cannot read.
 */
export async function buildDb(path, rows, { createdAt = '2025-01-01T00:00:00.000Z' } = {}) {
  const [{ Store }, { normaliseCustomer, identifiesSomeone }] = await Promise.all([dist('db/store.js'), dist('core/normalise/index.js')]);
  const store = Store.open(path);
  let rejected = 0;
  store.tx(() => {
    rows.forEach((row, k) => {
      const input = { ...row.input, extra: { ...(row.input.extra ?? {}) } };
      for (let attempt = 0; attempt < 8; attempt++) {
        try {
          // Import's row policy (src/core/import/row.ts): kept when anything identifies someone, an external id included.
          const fields = normaliseCustomer(input, { defaultCountry: 'FR', identity: false });
          if (!identifiesSomeone(fields)) {
            rejected++;
            return;
          }
          const at = row.createdAt ?? createdAt;
          store.customers.insert(fields, { uid: store.newUid(), createdAt: at, updatedAt: at });
          return;
        } catch (err) {
          const field = err?.field;
          const key = field && Object.keys(input).find((f) => f.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`) === field);
          if (!key) {
            rejected++;
            return;
          }
          if (input[key]) input.extra[field] = String(input[key]);
          delete input[key];
        }
      }
      rejected++;
      void k;
    });
  });
  store.close();
  return { rejected };
}

/** Pairwise precision, recall and F1: a pair of records in one cluster is a predicted pair. */
export function pairwise(clusters, truthOf) {
  // truth pairs: count per truth id
  const byTruth = new Map();
  for (const t of truthOf.values()) byTruth.set(t, (byTruth.get(t) ?? 0) + 1);
  let truePairs = 0;
  for (const n of byTruth.values()) truePairs += (n * (n - 1)) / 2;
  let predicted = 0;
  let correct = 0;
  for (const members of clusters) {
    predicted += (members.length * (members.length - 1)) / 2;
    const counts = new Map();
    for (const id of members) {
      const t = truthOf.get(id);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const n of counts.values()) correct += (n * (n - 1)) / 2;
  }
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, predicted, truePairs };
}

/** What a CRM does: records with the same e-mail (lower-cased) are one. */
export async function emailOnlyClusters(path) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT id, email_norm FROM customers WHERE email_norm IS NOT NULL ORDER BY id').all();
  db.close();
  const groups = new Map();
  for (const r of rows) groups.set(r.email_norm, [...(groups.get(r.email_norm) ?? []), r.id]);
  return [...groups.values()].filter((g) => g.length > 1);
}

/** id → truth, from the database's external_id and the rows' truth. */
export async function truthMap(path, rows) {
  const { default: Database } = await import('better-sqlite3');
  const byExternal = new Map(rows.map((r) => [r.input.externalId, r.truth]));
  const db = new Database(path, { readonly: true });
  const out = new Map();
  for (const r of db.prepare('SELECT id, external_id FROM customers').all()) out.set(r.id, byExternal.get(r.external_id));
  db.close();
  return out;
}
