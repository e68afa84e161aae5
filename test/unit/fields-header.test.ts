import { describe, expect, it } from 'vitest';
import { chooseTable, headerIndex } from '../../src/core/import/table.js';

/**
 * A workbook's header row is the first row made mostly of column names carnet
 * knows: the names of the user's own fields count, so a sheet of mostly such
 * columns under a title row is still read from its real header.
 */
const SHEET = {
  name: 'Adhérents',
  hidden: false,
  records: [['Fichier des adhérents 2026'], ['Nom', 'Potentiel', "CANAL D'ACQUISITION", 'date_du_salon', 'N° adhérent'], ['Meyer', '3', 'Salon', '12/03/2026', 'A-1']],
  rows: [1, 3, 4],
};
const OWN = ['Potentiel', 'potentiel', "Canal d'acquisition", 'canal_d_acquisition', 'Date du salon', 'date_du_salon', 'N° adhérent', 'n_adherent'];

describe('header detection and fields of your own', () => {
  it('does not see the header without the fields (the check is meaningful)', () => {
    expect(headerIndex(SHEET.records)).toBe(-1);
  });

  it('finds the header row by the fields’ names and keys, accent- and case-insensitively', () => {
    expect(headerIndex(SHEET.records, OWN)).toBe(1);
    const choice = chooseTable('adherents.xlsx', [SHEET], { sheet: null, headerRow: null, fixedHeader: false, ownNames: OWN });
    expect(choice.headerRow).toBe(3);
    expect(choice.header[1]).toBe('Potentiel');
    expect(choice.sample).toEqual([SHEET.records[2]]);
  });
});
