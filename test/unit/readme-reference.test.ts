import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { commandReference, referenceTable } from '../../src/cli/reference.js';
import { ROOT } from '../helpers/cli.js';

describe('README command reference', () => {
  it('lists exactly the commands of --help, with the same descriptions (node scripts/reference.js --write fixes it)', async () => {
    const docs = commandReference(await buildProgram());
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- reference:start -->\n([\s\S]*?)\n<!-- reference:end -->/.exec(readme)?.[1];
    expect(block, 'README.md has a reference block').toBeDefined();
    expect(block).toBe(referenceTable(docs));
  });

  it('gives every command a description and an example in --help', async () => {
    const docs = commandReference(await buildProgram());
    expect(docs.length).toBeGreaterThanOrEqual(11);
    for (const d of docs) {
      expect(d.description.length, `${d.path} has a description`).toBeGreaterThan(10);
      expect(d.hasExample, `${d.path} has an example`).toBe(true);
    }
  });
});
