/**
 * The filter language shared by `list --where`, `export --where`, category rules
 * and purge previews: parse once here, compile to SQL in src/db/filter-sql.ts.
 */
export { parseFilter, type CustomFilterField } from './parser.js';
export { FilterSyntaxError } from './errors.js';
export { FILTER_FIELDS, knownFieldNames, lookupField, type FieldDef, type FieldType } from './fields.js';
export type {
  AndNode,
  CategoryNode,
  CompareNode,
  CompareOp,
  ContainsNode,
  EmptyNode,
  FieldRef,
  FilterNode,
  FilterValue,
  InNode,
  LeafNode,
  NotNode,
  OrNode,
  RelativeUnit,
  StartsNode,
} from './ast.js';
