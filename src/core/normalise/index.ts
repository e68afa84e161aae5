/**
 * Normalisation and validation shared by every write path (add, edit,
 * import, sales, interactions). Pure functions: no I/O, no SQL. Each throws
 * a ValidationError naming the field (exit code 3) and returns null for an
 * empty value.
 */
export { cleanText, cleanMultilineText, fold, lookupKey } from './text.js';
export { normaliseEmail, type NormalisedEmail } from './email.js';
export { normalisePhone, isMobileE164, type NormalisedPhone } from './phone.js';
export { normaliseSiret, sirenOf, isValidSiret, isValidSiren, isLuhnValid } from './siret.js';
export { normaliseVat, frenchVatKey, frenchVatOf } from './vat.js';
export { normaliseCountry, frenchCountryName } from './country.js';
export { parseDate, parseDateTime } from './date.js';
export { parseAmountCents, formatCents } from './amount.js';
export { normalisePostalCode, departmentOf } from './postal.js';
export { normaliseKind, normaliseCivility, normaliseLegalForm, normaliseStatus, legalFormInName } from './vocabulary.js';
export { normaliseCustomer, normalisePartial, assertIdentifiable, identifiesSomeone, type NormaliseOptions, type PartialOptions } from './customer.js';
