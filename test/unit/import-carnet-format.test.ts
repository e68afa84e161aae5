import { describe, expect, it } from 'vitest';
import { DEFAULT_COLUMNS } from '../../src/core/export/columns.js';
import { buildMapping } from '../../src/core/import/mapping.js';
import { buildCustomer, type RowOptions } from '../../src/core/import/row.js';

const OPTS: RowOptions = { key: 'auto', source: null, categories: [], defaultCountry: null };
const UID = '01a2424e-0c5b-7f79-8eb0-000000000001';

function build(headers: string[], cells: string[]) {
  const r = buildCustomer(cells, buildMapping(headers).plan, OPTS);
  if (!r.ok) throw new Error(`rejected: ${r.field}: ${r.reason}`);
  return r.row;
}

// No database here: the mapping and the row builder are pure, the same whatever the engine (hence not in
// PG_READY). The import of carnet's own export into each engine is test/e2e/import-own-export.test.ts.
describe("carnet's own export as an import format", () => {
  it('is recognised from the default export header, id ignored and every catalogue key to its field', () => {
    const { format, plan, columns } = buildMapping(DEFAULT_COLUMNS);
    expect(format).toBe('carnet');
    const at = (name: string) => DEFAULT_COLUMNS.indexOf(name);
    expect(plan.ownUid).toEqual([at('uid')]);
    expect(plan.fields.externalId?.map((s) => s.column)).toEqual([at('external_id')]);
    expect(plan.fields.externalSource?.map((s) => s.column)).toEqual([at('external_source')]);
    expect(plan.fields.civility?.map((s) => s.column)).toEqual([at('civility')]);
    expect(plan.fields.mobile?.map((s) => s.column)).toEqual([at('mobile')]);
    expect(plan.extra).toEqual([]);
    expect(plan.extraJson).toEqual([at('extra')]);
    expect(plan.restrictedAt).toEqual([at('restricted_at')]);
    expect(plan.archivedAt).toEqual([at('archived_at')]);
    expect(plan.createdAt).toEqual([at('created_at')]);
    expect(plan.lastContactAt).toEqual([at('last_contact_at')]);
    for (const c of ['id', 'updated_at', 'phone_e164', 'mobile_e164']) expect(columns.find((u) => u.column === c)?.use).toBe('ignore');
  });

  it('a derived column feeds its field when the field is not there', () => {
    const { plan } = buildMapping(['uid', 'last_name', 'mobile_e164']);
    expect(plan.fields.mobile?.map((s) => s.column)).toEqual([2]);
  });

  it('is not taken for files carnet did not write', () => {
    expect(buildMapping(['UID', 'EMAIL', 'N family', 'ADR locality']).format).toBe('vcard');
    // A shop's file: its ID is a customer number, and a "uid" column beside other names is kept.
    const shop = buildMapping(['ID', 'Nom', 'Email', 'uid']);
    expect(shop.format).toBeNull();
    expect(shop.plan.fields.externalId?.map((s) => s.column)).toEqual([0]);
    expect(shop.plan.ownUid).toEqual([]);
  });

  it('merges the extra JSON key by key; a cell that is not one is kept with a warning', () => {
    const h = ['uid', 'last_name', 'extra', 'extra.fidelite'];
    const r = build(h, [UID, 'Meyer', '{"Canal":"Salon","n":3}', 'or']);
    expect(r.fields.extra).toEqual({ Canal: 'Salon', n: '3', fidelite: 'or' });
    expect(r.carnet.ownUid).toBe(UID);
    const bad = build(h, [UID, 'Meyer', 'Salon', '']);
    expect(bad.fields.extra).toEqual({ extra: 'Salon' });
    expect(bad.warnings.map((w) => w.field)).toEqual(['extra']);
  });

  it('a uid carnet never writes goes to extra with a warning; the restriction date is read', () => {
    const r = build(['uid', 'last_name', 'restricted_at'], ['42', 'Meyer', '2026-03-01T10:00:00.000Z']);
    expect(r.carnet.ownUid).toBeNull();
    expect(r.fields.extra).toEqual({ uid: '42' });
    expect(r.warnings.map((w) => w.field)).toEqual(['uid']);
    expect(r.carnet.restrictedAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('a row with only a uid still identifies its customer', () => {
    expect(build(['uid', 'city'], [UID, 'Lyon']).carnet.ownUid).toBe(UID);
  });
});
