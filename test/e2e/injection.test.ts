import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';
import { schemaOf, withSandboxDb } from '../helpers/e2e-db.js';

let s: Sandbox;
beforeAll(() => {
  s = sandbox();
  expect(s.run(['add', '--first-name', 'Élodie', '--last-name', 'Meyer', '--email', 'elodie@sfr.fr', '--city', 'Lyon']).code).toBe(0);
});
afterAll(() => s.cleanup());

function schemaAndData(): { schema: unknown[]; customers: unknown[] } {
  return {
    schema: schemaOf(s.db),
    customers: withSandboxDb(s.db, (db) => db.prepare('SELECT id, uid, first_name, last_name, city, email_norm FROM customers ORDER BY id').all(), { readonly: true }),
  };
}

const INJECTIONS = [
  `x'; DROP TABLE customers; --`,
  `x" ; DELETE FROM customers; --`,
  `') OR 1=1; --`,
  `Lyon' UNION SELECT sql FROM sqlite_master --`,
  `\\'; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --`,
  `%' OR '1'='1`,
  `\u0001; DROP TABLE audit_log`,
];

describe('user text never reaches SQL as text', () => {
  it('--where values are bound: injections match nobody and change nothing', () => {
    const before = schemaAndData();
    for (const inj of INJECTIONS) {
      for (const where of [`city = "${inj.replace(/["\\]/g, '\\$&')}"`, `last_name ~ '${inj.replace(/['\\]/g, '\\$&')}'`, `category "${inj.replace(/["\\]/g, '\\$&')}"`]) {
        const r = s.run(['list', '--where', where, '--json']);
        expect([0, 2]).toContain(r.code);
        if (r.code === 0) expect(JSON.parse(r.stdout)).toEqual([]);
        else expect(r.stderr).toMatch(/^error: bad filter/);
      }
    }
    expect(schemaAndData()).toEqual(before);
  });

  it('--where syntax made of SQL is a syntax error (exit 2), never executed', () => {
    const before = schemaAndData();
    for (const where of ['1=1; DROP TABLE customers', 'city = Lyon) OR (1=1', 'city = Lyon --', "city = Lyon' OR 'a'='a", 'id = 1 UNION SELECT 1']) {
      const r = s.run(['list', '--where', where]);
      expect(r.code, where).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(schemaAndData()).toEqual(before);
  });

  it('--set values are stored as typed, literally, and the schema does not move', () => {
    const before = schemaAndData();
    const inj = `Robert'); DROP TABLE customers;--`;
    const r = s.run(['edit', 'elodie@sfr.fr', '--set', `city=${inj}`]);
    expect(r.code).toBe(0);
    const after = schemaAndData();
    expect(after.schema).toEqual(before.schema);
    expect((after.customers[0] as { city: string }).city).toBe(inj);
    const field = s.run(['edit', 'elodie@sfr.fr', '--set', `city; DROP TABLE customers=1`]);
    expect(field.code).toBe(2);
    expect(schemaAndData().schema).toEqual(before.schema);
  });

  it('--sort accepts only known columns', () => {
    const r = s.run(['list', '--sort', 'id; DROP TABLE customers']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot sort by/);
  });
});
