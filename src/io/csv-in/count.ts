/** What can be searched from an offset: a string (for a substring) or a Buffer (for a byte). */
interface Searchable<N> {
  readonly length: number;
  indexOf(needle: N, from: number): number;
}

/** How many times `needle` occurs in h[from, to) — by indexOf jumps, not a loop over every character. */
export function countOf<N extends string | number>(h: Searchable<N>, needle: N, from = 0, to = h.length): number {
  let n = 0;
  let i = h.indexOf(needle, from);
  while (i !== -1 && i < to) {
    n++;
    i = h.indexOf(needle, i + 1);
  }
  return n;
}
