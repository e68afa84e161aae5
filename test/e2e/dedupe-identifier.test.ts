import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/cli.js';

describe('carnet dedupe identifier', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = sandbox('carnet-dedupe-id-');
  });
  afterAll(() => sb.cleanup());

  it('adds, lists and removes identifiers, and says what each one is', () => {
    const add = sb.run(['dedupe', 'identifier', 'add', 'N° adhérent']);
    expect(add.code).toBe(0);
    expect(add.stderr).toMatch(/dedupe now matches on N° adhérent \(an imported column kept in extra\)/);
    expect(sb.run(['dedupe', 'identifier', 'add', 'vat_number']).stderr).toMatch(/the vat_number field/);
    expect(sb.json<{ identifiers: { name: string; field: string | null }[] }>(['dedupe', 'identifier', 'list']).identifiers).toEqual([
      { name: 'N° adhérent', field: null },
      { name: 'vat_number', field: 'vat_number' },
    ]);
    expect(sb.run(['dedupe', 'identifier', 'remove', 'n° adhérent']).code).toBe(0);
    const missing = sb.run(['dedupe', 'identifier', 'remove', 'N° adhérent']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/not a declared identifier — carnet dedupe identifier list shows them/);
    expect(sb.run(['dedupe', 'identifier', 'list']).stdout).toBe('vat_number (the vat_number field)\n');
  });

  it('is explained in dedupe --help', () => {
    expect(sb.run(['dedupe', '--help']).stdout).toMatch(/carnet dedupe identifier add NAME/);
  });
});
