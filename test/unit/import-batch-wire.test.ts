import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { decodeBatch, encodeBatch } from '../../src/core/import/batch-wire.js';
import type { Batch } from '../../src/core/import/process.js';

/** What the main thread receives of a batch posted by a worker: the wire form, cloned across a real port. */
function acrossThreads(b: Batch): Batch {
  const { port1, port2 } = new MessageChannel();
  const { wire, transfer } = encodeBatch(b);
  port1.postMessage(wire, transfer);
  const got = receiveMessageOnPort(port2);
  port1.close();
  if (!got) throw new Error('nothing received');
  return decodeBatch(got.message as Parameters<typeof decodeBatch>[0]);
}

const value = fc.oneof(fc.constant(null), fc.string({ unit: 'binary' }), fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.constant(''));

describe('a batch crossing threads in its wire form', () => {
  it('arrives value for value: text of any alphabet, empty text, numbers and nulls kept apart', () => {
    const b: Batch = {
      index: 7, read: 3, width: 4,
      rows: [[14680064, 2, 'Chloé', null], [14680065, 3, '', 'Œuvre 🎉 d’art'], [14680066, 4, '0', -0.5]],
      cats: [14680064, 'VIP', 14680066, 'Fidèles'],
      consents: [14680065, 'email', 'granted', null],
      rejects: [{ line: 5, field: 'email', reason: 'no one', cells: ['a;b', '"'] }],
      warnings: [{ line: 3, field: 'phone', message: 'kept in extra' }],
      kept: [], suppressed: 1,
    };
    const got = acrossThreads(b);
    expect(got).toEqual(b);
    // An empty text stays text, and "0" stays a string: the stage binds them as such.
    expect(got.rows[1]?.[2]).toBe('');
    expect(got.rows[2]?.[2]).toBe('0');
    expect(got.rows[0]?.[3]).toBeNull();
  });

  it('arrives whole for any rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.array(value, { minLength: 6, maxLength: 6 }), { maxLength: 20 }), fc.array(value, { maxLength: 10 }), (width, rows, consents) => {
        const b: Batch = { index: 0, read: rows.length, width, rows: rows.map((r) => r.slice(0, width)), cats: [], consents, rejects: [], warnings: [], kept: [], suppressed: 0 };
        expect(acrossThreads(b)).toEqual(b);
      }),
    );
  });
});
