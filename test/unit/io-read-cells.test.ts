import { describe, expect, it } from 'vitest';
import { isDateFormat, numberText, serialToIso } from '../../src/io/read/cells.js';
import { columnLetter } from '../../src/io/read/types.js';
import { decodeXml, refuseDoctype, stringItemText } from '../../src/io/read/xml.js';
import { chooseTable, headerIndex } from '../../src/core/import/table.js';

describe('typed cells', () => {
  it('reads Excel serial dates of both date systems', () => {
    expect(serialToIso(1, false)).toBe('1900-01-01');
    expect(serialToIso(59, false)).toBe('1900-02-28');
    expect(serialToIso(61, false)).toBe('1900-03-01');
    expect(serialToIso(44267, false)).toBe('2021-03-12');
    expect(serialToIso(44267.5, false)).toBe('2021-03-12T12:00:00');
    expect(serialToIso(0, true)).toBe('1904-01-01');
    expect(serialToIso(42805, true)).toBe('2021-03-12');
    expect(serialToIso(-1, false)).toBeNull();
  });

  it('keeps every digit of an identifier and drops floating-point noise of an amount', () => {
    expect(numberText(73282932000074)).toBe('73282932000074');
    expect(numberText(612345678)).toBe('612345678');
    expect(numberText(1200.5)).toBe('1200.5');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(12.300000000000001)).toBe('12.3');
    expect(numberText(Number.NaN)).toBe('');
  });

  it('tells date formats from number formats', () => {
    expect(isDateFormat(14, undefined)).toBe(true);
    expect(isDateFormat(164, 'dd/mm/yyyy')).toBe(true);
    expect(isDateFormat(165, '[$-40C]d mmmm yyyy;@')).toBe(true);
    expect(isDateFormat(166, '#,##0.00 "€"')).toBe(false);
    expect(isDateFormat(167, '0.00E+00')).toBe(false);
    expect(isDateFormat(0, 'General')).toBe(false);
    expect(isDateFormat(168, '"day "0')).toBe(false);
  });

  it('names columns as spreadsheets do', () => {
    expect([0, 5, 25, 26, 701, 702, 16383].map(columnLetter)).toEqual(['A', 'F', 'Z', 'AA', 'ZZ', 'AAA', 'XFD']);
  });
});

describe('XML of spreadsheet parts', () => {
  it('decodes the predefined entities, character references and OOXML escapes, nothing else', () => {
    expect(decodeXml('Dupont &amp; Fils &lt;b&gt; &#233;t&#xE9; _x000D_')).toBe('Dupont & Fils <b> été \r');
    expect(decodeXml('&lol;')).toBe('&lol;');
  });

  it('joins rich text runs and leaves phonetic guides out', () => {
    expect(stringItemText('<r><t>Boulangerie </t></r><r><rPr><b/></rPr><t>Martin</t></r><rPh><t>x</t></rPh>')).toBe('Boulangerie Martin');
  });

  it('refuses a document type declaration', () => {
    expect(() => refuseDoctype('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>', 'f.xlsx', 'sheet1.xml')).toThrow(/entit/);
  });
});

describe('finding the header and the sheet', () => {
  const sheet = (name: string, records: string[][], hidden = false) => ({ name, hidden, records, rows: records.map((_r, i) => i + 1) });
  const clients = [['Fichier clients 2025'], ['Nom', 'Prénom', 'E-mail', 'Canal d\'acquisition'], ['Meyer', 'Élodie', 'e@ex.fr', 'Salon']];

  it('skips title rows: the header is the first row of mostly known column names', () => {
    expect(headerIndex(clients)).toBe(1);
    expect(headerIndex([['Total', '12'], ['a', 'b']])).toBe(-1);
  });

  it('takes the first sheet that holds a customer list, and says so when there are several', () => {
    const c = chooseTable('f.xlsx', [sheet('Lisez-moi', [['Bonjour']]), sheet('Clients', clients), sheet('Prospects', clients)], { sheet: null, headerRow: null, fixedHeader: false });
    expect(c).toMatchObject({ sheet: 1, sheetName: 'Clients', headerRow: 2 });
    expect(c.notes.join('\n')).toContain('--sheet Prospects');
  });

  it('--sheet by name or number, --header-row by the row number shown', () => {
    const sheets = [sheet('Clients', clients), sheet('Autres', clients)];
    expect(chooseTable('f.xlsx', sheets, { sheet: 'autres', headerRow: null, fixedHeader: false }).sheet).toBe(1);
    expect(chooseTable('f.xlsx', sheets, { sheet: '2', headerRow: 1, fixedHeader: false })).toMatchObject({ sheet: 1, headerRow: 1, header: ['Fichier clients 2025'] });
    expect(() => chooseTable('f.xlsx', sheets, { sheet: 'Nope', headerRow: null, fixedHeader: false })).toThrow(/no such sheet/);
  });
});
