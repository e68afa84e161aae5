import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { describe, expect, it } from 'vitest';
import { isMobileE164 } from '../../src/core/normalise/index.js';
import { rng } from '../../bench/rng.js';

const library = (e164: string): boolean => parsePhoneNumberFromString(e164)?.getType() === 'MOBILE';
const digits = (n: number, width: number): string => String(n).padStart(width, '0');

describe('isMobileE164 on overseas numbers', () => {
  it('answers as the library for every number of a 5-digit prefix (asked once per prefix)', () => {
    const random = rng(17);
    let mobiles = 0;
    for (const cc of ['262', '590', '594', '596', '508']) {
      // Every prefix where the metadata's mobile ranges are (6… and 7…), a sample of the others.
      for (let p = 0; p < 100_000; p++) {
        const mobileRange = p >= 60_000 && p < 80_000;
        if (!mobileRange && random() > 0.02) continue;
        const prefix = `+${cc}${digits(p, 5)}`;
        const first = isMobileE164(`${prefix}${digits(Math.floor(random() * 10_000), 4)}`);
        const other = `${prefix}${digits(Math.floor(random() * 10_000), 4)}`;
        expect(isMobileE164(other), other).toBe(library(other));
        if (first) mobiles++;
      }
    }
    // The metadata has mobile ranges for each code: the check above saw them.
    expect(mobiles).toBeGreaterThan(500);
  });

  it('keeps the library answer for other numbers', () => {
    for (const e164 of ['+262692123456', '+262262123456', '+262639012345', '+590690123456', '+590590271234', '+594694123456', '+596696123456', '+508708412345', '+50841234', '+32470123456', '+3221234567', '+447911123456']) {
      expect(isMobileE164(e164), e164).toBe(library(e164));
    }
  });
});
