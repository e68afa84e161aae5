/**
 * Column names of the catalogue's fields, for SQL: `${COLUMN.emailNorm}`
 * rather than a second spelling of the key. The customers table has one
 * column per catalogue key; the contacts and staging tables reuse the same
 * names for the same things (a contact's first name is `${COLUMN.firstName}` too).
 */
import { KEY, type CatalogueProp } from '../core/fields/catalogue.js';

export const COLUMN = KEY;

/** `cols('c', 'firstName', 'lastName')` is `c.<first name column>, c.<last name column>`: the columns of these fields, qualified by a table alias when one is given. */
export function cols(alias: string | null, ...props: readonly CatalogueProp[]): string {
  return props.map((p) => (alias ? `${alias}.${COLUMN[p]}` : COLUMN[p])).join(', ');
}

/** A row type with a nullable text column for each of these fields: `Columns<'firstName' | 'lastName'>`. */
export type Columns<P extends CatalogueProp> = { [K in P as (typeof COLUMN)[K]]: string | null };
