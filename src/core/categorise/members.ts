/**
 * The difference between a category's current computed members and its
 * target, both as ascending id lists (a merge, linear). Frozen customers
 * (archived, restricted) neither enter nor leave.
 */
export function diffSorted(current: readonly number[], target: readonly number[], frozen: ReadonlySet<number>): { add: number[]; remove: number[] } {
  const add: number[] = [];
  const remove: number[] = [];
  let i = 0;
  let j = 0;
  while (i < current.length || j < target.length) {
    const c = current[i];
    const t = target[j];
    if (c !== undefined && (t === undefined || c < t)) {
      if (!frozen.has(c)) remove.push(c);
      i++;
    } else if (t !== undefined && (c === undefined || t < c)) {
      if (!frozen.has(t)) add.push(t);
      j++;
    } else {
      i++;
      j++;
    }
  }
  return { add, remove };
}

/** Who enters and who leaves a category (counts, and the first ids for dry runs). */
export interface MembershipDiff {
  entered: number;
  left: number;
  enteredIds: number[];
  leftIds: number[];
}
