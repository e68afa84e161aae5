/**
 * A bounded memo of a pure reader of one cell. Consent, category and date
 * cells repeat across a file (a million rows, a few thousand distinct
 * values): each distinct value is read — and validated — once, every row
 * still gets the reader's exact result (a result that is itself a slice of
 * the cell must be copied by the caller's reader, see ownCopy). A reader that throws is not
 * memoised: the next row with that value throws again (and is warned
 * about again). The results are shared between rows: callers only read them.
 */
export function cellMemo<T>(read: (raw: string) => T, limit = 4096): (raw: string) => T {
  let seen = new Map<string, T>();
  return (raw) => {
    const hit = seen.get(raw);
    if (hit !== undefined || seen.has(raw)) return hit as T;
    const value = read(raw);
    if (seen.size >= limit) seen = new Map();
    seen.set(ownCopy(raw), value);
    return value;
  };
}

/**
 * A copy of a string that shares no memory with it: a cell is often a slice
 * of its chunk's whole text, and a memo key that is a slice would keep every
 * 64 KB chunk it came from alive.
 */
export function ownCopy(s: string): string {
  return (' ' + s).slice(1);
}
