import { describe, it, expect } from 'vitest';
import { availableParallelism } from 'node:os';
import { exportThreads, parallelTuning } from '../../src/core/export/parallel.js';
import { sliceEncoder } from '../../src/core/export/slices.js';
import { CellKind } from '../../src/io/write-csv.js';

describe('parallel export', () => {
  it('uses threads only when cores are idle, unless told', () => {
    expect(exportThreads({}, 1000)).toBe(0);
    expect(exportThreads({ CARNET_EXPORT_THREADS: '3' }, 1000)).toBe(3);
    expect(exportThreads({ CARNET_EXPORT_THREADS: '0' }, 0)).toBe(0);
    const cores = availableParallelism();
    expect(exportThreads({}, 0)).toBe(cores >= 2 ? Math.min(4, cores) : 0);
    expect(parallelTuning({ CARNET_EXPORT_SLICE: '500', CARNET_EXPORT_PARALLEL_MIN: 'x' })).toEqual({ slice: 500, minIds: 150_000 });
  });

  it('a slice is what one thread writes for the same rows, counted through the gate', () => {
    const enc = sliceEncoder({
      format: 'csv',
      csv: { delimiter: ';', eol: '\r\n', neutralise: true, decimalComma: true, listJoin: ', ' },
      kinds: [CellKind.number, CellKind.text, CellKind.text],
      channels: null,
      reasons: 1,
    });
    const rows = [
      ['1\u001eMeyer\u001e+33612345678', null],
      ['2\u001e=cmd\u001e', null],
      ['3\u001eGone\u001e', 'archived'],
      ['4\u001eA;B\u001e', null],
    ];
    const done = enc.encode(rows, 7);
    expect(Buffer.from(done.bytes).toString('utf8')).toBe('1;Meyer;+33612345678\r\n2;\'=cmd;\r\n4;"A;B";\r\n');
    expect(done).toMatchObject({ index: 7, rows: 3, leftOut: { archived: 1 } });
    enc.recycle(done.bytes.buffer as ArrayBuffer);
    expect(Buffer.from(enc.encode([['5\u001eX\u001eY', null]], 8).bytes).toString()).toBe('5;X;Y\r\n');
  });
});
