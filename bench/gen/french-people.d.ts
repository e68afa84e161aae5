export interface FrenchRecord {
  person: string; ref: string; civilite: string; prenom: string; nom: string; societe: string; siret: string; email: string;
  telephone: string; portable: string; adresse: string; code_postal: string; ville: string; date_naissance: string;
}
export const COLUMNS: string[];
export function generate(opts?: { people?: number; seed?: number; dupRate?: number; crowd?: number }): Generator<FrenchRecord>;
export function toCsvLine(row: FrenchRecord): string;
