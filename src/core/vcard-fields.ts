import type { CustomerFieldName } from './model.js';

/**
 * Customer fields that vCard has no property for, written by
 * `export --format vcard` as X-CARNET-… properties and read back by the
 * `vcard` import preset, so that export → import round-trips a customer.
 * Declared once here; both sides are derived from it.
 */
export const CARNET_VCARD_FIELDS: readonly { property: string; column: string; field: CustomerFieldName }[] = [
  { property: 'X-CARNET-SIRET', column: 'siret', field: 'siret' },
  { property: 'X-CARNET-LEGAL-FORM', column: 'legal_form', field: 'legalForm' },
  { property: 'X-CARNET-VAT', column: 'vat_number', field: 'vatNumber' },
  { property: 'X-CARNET-SECTOR', column: 'sector', field: 'sector' },
  { property: 'X-CARNET-OWNER', column: 'owner', field: 'owner' },
  { property: 'X-CARNET-STATUS', column: 'status', field: 'status' },
  { property: 'X-CARNET-SOURCE', column: 'source', field: 'source' },
];
