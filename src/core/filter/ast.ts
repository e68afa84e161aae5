/**
 * The filter language's syntax tree. The parser type-checks values against the
 * field catalogue, so a tree that exists is one the SQL compiler can always emit.
 *
 * Negative forms are normalised to `not`: `city != x` is `not (city = x)`,
 * `x !~ y`, `x not in (…)`, `x is not empty`, `not category …` likewise. Every leaf
 * compiles to a two-valued condition (never SQL NULL), so `not` is plain logical
 * negation: `city != "Lyon"` includes customers without a city.
 */

/** A field of the catalogue (by canonical name) or an imported column kept in `extra`. */
export type FieldRef =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'extra'; readonly key: string }
  /** A field of the user's own (carnet field add), by its key, with its filter type. */
  | { readonly kind: 'custom'; readonly key: string; readonly type: 'text' | 'number' | 'date' };

export type RelativeUnit = 'd' | 'w' | 'm' | 'y';

/**
 * A value, already interpreted for the field's type.
 * - `date`: a calendar day `YYYY-MM-DD`; `relative` (signed amount, e.g. -3 y) and
 *   `today` are days too, resolved against the compile-time clock. Days compare as
 *   whole days: `= 2024-01-31` matches any time that day, `> 2024-01-31` means from
 *   the next day on.
 * - `instant`: a UTC timestamp `YYYY-MM-DDTHH:MM:SS.sssZ`; `now` likewise.
 */
export type FilterValue =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'instant'; readonly value: string }
  | { readonly kind: 'relative'; readonly amount: number; readonly unit: RelativeUnit }
  | { readonly kind: 'today' }
  | { readonly kind: 'now' };

export type CompareOp = '=' | '<' | '<=' | '>' | '>=';

export interface CompareNode {
  readonly type: 'compare';
  readonly field: FieldRef;
  readonly op: CompareOp;
  readonly value: FilterValue;
}

/** `field in (a, b)`: equality with any of the values (same rules as `=`). */
export interface InNode {
  readonly type: 'in';
  readonly field: FieldRef;
  readonly values: readonly FilterValue[];
}

/** `field ~ "text"`: contains, case- and accent-insensitive. */
export interface ContainsNode {
  readonly type: 'contains';
  readonly field: FieldRef;
  readonly value: string;
}

/** `field starts "69"`: prefix, case- and accent-insensitive. */
export interface StartsNode {
  readonly type: 'starts';
  readonly field: FieldRef;
  readonly value: string;
}

/** `field is empty`: NULL or the empty string. */
export interface EmptyNode {
  readonly type: 'empty';
  readonly field: FieldRef;
}

/**
 * `category "VIP"` / `category in (a, b)`: the customer is in one of the named
 * categories (names compare case- and accent-insensitively). `names: null` is
 * `category is not empty`: in any category at all.
 */
export interface CategoryNode {
  readonly type: 'category';
  readonly names: readonly string[] | null;
}

export interface AndNode {
  readonly type: 'and';
  /** Two or more; nested `and`s are flattened. */
  readonly operands: readonly FilterNode[];
}

export interface OrNode {
  readonly type: 'or';
  readonly operands: readonly FilterNode[];
}

export interface NotNode {
  readonly type: 'not';
  readonly operand: FilterNode;
}

export type LeafNode = CompareNode | InNode | ContainsNode | StartsNode | EmptyNode | CategoryNode;
export type FilterNode = LeafNode | AndNode | OrNode | NotNode;
