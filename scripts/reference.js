#!/usr/bin/env node
// Prints the README command reference from the program itself; --write updates README.md in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildProgram } from '../dist/cli/program.js';
import { commandReference, referenceTable } from '../dist/cli/reference.js';

const table = referenceTable(commandReference(await buildProgram()));
if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  const next = readme.replace(/(<!-- reference:start -->\n)[\s\S]*?(\n<!-- reference:end -->)/, `$1${table}$2`);
  writeFileSync('README.md', next);
} else {
  console.log(table);
}
