/**
 * "de" before a French place name, with its article contracted or its vowel elided, as INSEE writes
 * it (the "type de liaison" of the Code officiel géographique): de Lisieux, d’Évreux, du Havre,
 * des Andelys, de La Rochelle, de L’Haÿ-les-Roses. A name starting with H takes "de" (Haguenau):
 * no arrondissement starts with a mute h; tests/integration/place-names.test.ts checks every one.
 *
 * @example `arrondissement ${ofPlace("Le Havre")}` → "arrondissement du Havre"
 */
export function ofPlace(name: string): string {
  const article = /^(Les |Le |La |L['’])(.+)$/.exec(name);
  if (article) {
    const [, word, rest] = article;
    if (word === "Le ") return `du ${rest}`;
    if (word === "Les ") return `des ${rest}`;
    if (word === "La ") return `de La ${rest}`;
    return `de L’${rest}`;
  }
  return /^[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ]/i.test(name) ? `d’${name}` : `de ${name}`;
}

/** "arrondissement d’Évreux": the words people read under a commune's name. */
export function arrondissementLabel(name: string): string {
  return `arrondissement ${ofPlace(name)}`;
}
