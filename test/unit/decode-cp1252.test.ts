import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { toText } from '../../src/io/csv-in/decode.js';

// toText decodes Windows-1252 chunks without 0x80–0x9F bytes as Latin-1 (a one-byte string):
// it must give exactly what iconv-lite gives, byte for byte, whichever path a chunk takes.
describe('Windows-1252 and Latin-1 chunks', () => {
  const all = Buffer.from(Array.from({ length: 256 }, (_v, i) => i));
  const withoutC1 = Buffer.from([...all].filter((b) => b < 0x80 || b > 0x9f));

  it('decodes every byte as iconv-lite does, with and without the 0x80–0x9F range', () => {
    for (const buf of [all, withoutC1, Buffer.from('Réf;Prénom\nC1;Élodie\n', 'latin1'), Buffer.from([0x80, 0x92, 0x9c, 0x41])]) {
      expect(toText(buf, 'windows-1252', 1, 10)).toBe(iconv.decode(buf, 'windows-1252'));
      expect(toText(buf, 'latin1', 1, 10)).toBe(iconv.decode(buf, 'latin1'));
    }
    expect(toText(Buffer.from([0x80, 0x92]), 'windows-1252', 1, 10)).toBe('€’');
    expect(toText(Buffer.from([0xe9]), 'windows-1252', 1, 10)).toBe('é');
  });
});
