// Identifiers of French associations: RNA (répertoire national des associations) or SIREN.

export type OrganisationId = { kind: "rna" | "siren"; value: string };

/** Luhn checksum, as INSEE uses for SIREN (9 digits) and SIRET numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Reads an RNA number (W and 9 digits) or a SIREN (9 digits, Luhn-checked), spaces and dots
 * allowed, or says what is wrong.
 *
 *   parseOrganisationId("w 751 234 567") // → { ok: true, id: { kind: "rna", value: "W751234567" } }
 *   parseOrganisationId("732 829 320")   // → { ok: true, id: { kind: "siren", value: "732829320" } }
 */
export function parseOrganisationId(input: string): { ok: true; id: OrganisationId } | { ok: false; message: string } {
  const compact = input.replace(/[\s.\u00A0-]/g, "").toUpperCase();
  if (/^W\d{9}$/.test(compact)) return { ok: true, id: { kind: "rna", value: compact } };
  if (/^\d{9}$/.test(compact)) {
    if (!luhnValid(compact)) {
      return {
        ok: false,
        message: "Ce numéro SIREN n’est pas valide (sa clé de contrôle ne correspond pas) : vérifiez-le.",
      };
    }
    return { ok: true, id: { kind: "siren", value: compact } };
  }
  return {
    ok: false,
    message:
      "Indiquez le numéro RNA (W suivi de 9 chiffres, ex. W751234567) ou le SIREN (9 chiffres) de l’association.",
  };
}

export function formatOrganisationId(id: OrganisationId): string {
  return id.kind === "rna" ? `RNA ${id.value}` : `SIREN ${id.value.replace(/(\d{3})(\d{3})(\d{3})/, "$1 $2 $3")}`;
}
