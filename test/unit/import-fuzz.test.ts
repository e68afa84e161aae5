import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { runImport, type ImportInput } from '../../src/core/import/index.js';
import { memoryCtx, tempDir } from '../helpers/ctx.js';
import { forEachEngine } from '../helpers/engines.js';
import { importInput } from '../helpers/import-input.js';

/**
 * Hostile input, in-process so that hundreds of cases run in seconds: whatever
 * the bytes, an import either succeeds (rows imported or rejected) or refuses
 * the file with exit 3 and a one-line message — never another error — and a
 * refused file leaves the database as it was.
 */
const RUNS = Number(process.env.CARNET_FUZZ_RUNS ?? 300);
const t = tempDir('carnet-fuzz-');
const saved = process.env.CARNET_IMPORT_THREADS;
beforeAll(() => {
  process.env.CARNET_IMPORT_THREADS = '0';
});
afterAll(() => {
  if (saved === undefined) delete process.env.CARNET_IMPORT_THREADS;
  else process.env.CARNET_IMPORT_THREADS = saved;
  t.cleanup();
});

const PIECES = ['"', '""', ',', ';', '\t', '|', '\n', '\r\n', '\r', '\u0000', 'é', 'Ã©', '\uFEFF', ' ', 'a@b.fr', 'Dupont', '06 12 34 56 78', '=1+1', '\\', "'", 'nom', 'email', '€', '😀'];

const header = fc.constantFrom('nom;prénom;email;téléphone\n', 'last_name,email,phone\n', 'Name,E-mail 1 - Value\n', '', 'x\n');
const textBody = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((xs) => xs.join(''));
const asBytes = fc.tuple(header, textBody).map(([h, b]) => Buffer.from(h + b, 'utf8'));
const rawBytes = fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a));
const mixed = fc.tuple(asBytes, rawBytes, fc.nat(400)).map(([text, raw, at]) => Buffer.concat([text.subarray(0, at), raw, text.subarray(at)]));

function input(file: string, over: Partial<ImportInput> = {}): ImportInput {
  return importInput(file, t.dir, over);
}

forEachEngine('import fuzz', (engine) => {
  it(`${RUNS} hostile files end in success or a clean exit-3 refusal that changes nothing`, async () => {
    const ctx = memoryCtx(engine);
    const count = () => ctx.store.db.prepare('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM import_runs) AS r').get();
    let n = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(asBytes, rawBytes, mixed), fc.boolean(), async (bytes, strict) => {
        const file = join(t.dir, `${engine}-case-${n++}.csv`);
        writeFileSync(file, bytes);
        const before = count();
        try {
          const r = await runImport(ctx, input(file, { strict }));
          expect(r.read).toBeGreaterThanOrEqual(r.inserted + r.updated + r.unchanged);
        } catch (e) {
          refused++;
          expect(e).toBeInstanceOf(AppError);
          const err = e as AppError;
          expect(err.exitCode).toBe(3);
          expect(err.message).not.toMatch(/\n/);
          expect(err.message).not.toMatch(/at .*\.(ts|js):\d+/);
          expect(count()).toEqual(before);
        }
      }),
      { numRuns: RUNS, seed: 20261123 },
    );
    if (process.env.CARNET_SOAK_REPORT) {
      appendFileSync(process.env.CARNET_SOAK_REPORT, JSON.stringify({ operation: `import fuzz [${engine}]`, 'cases tried': n, refused, 'other errors': 0 }) + '\n');
    }
    // The generator must exercise both sides, or the property proves little.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(RUNS);
  });
});
