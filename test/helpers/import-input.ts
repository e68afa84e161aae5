import { join } from 'node:path';
import type { ImportInput } from '../../src/core/import/index.js';

/** What `carnet import FILE` asks by default, rejects written into `dir`; tests override what they exercise. */
export function importInput(file: string, dir: string, over: Partial<ImportInput> = {}): ImportInput {
  return {
    file,
    what: 'customers',
    format: 'auto',
    maps: [],
    key: 'auto',
    onConflict: 'update',
    categories: [],
    source: null,
    country: null,
    rejects: join(dir, 'rejects.csv'),
    strict: false,
    dryRun: false,
    ...over,
  };
}
