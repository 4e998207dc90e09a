import { ZxcvbnFactory, type ZxcvbnResult } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as fr from "@zxcvbn-ts/language-fr";

/**
 * zxcvbn's score (0 to 4) a new password must reach: 3 means « safely unguessable » against an
 * online attack with throttling and still costly offline (about 10^8 guesses). The estimator knows
 * the common passwords (language-common), French words, first names and surnames (language-fr),
 * keyboard walks, repeats, sequences and dates, and the words below plus the person's e-mail.
 */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Only the first 64 characters are estimated: the estimate's cost grows faster than the length
 * (200 characters took 500 ms), and 64 characters that reach the score are strong however long
 * the rest.
 */
export const STRENGTH_CHECKED_LENGTH = 64;

/** The site's own words: a password built on them is the first one an attacker tries here. */
export const SITE_WORDS = [
  "priorités santé",
  "prioritessante",
  "priorites-sante",
  "priorités",
  "priorites",
  "santé",
  "sante",
  "cnr",
  "ars",
  "cts",
  "consultation",
  "vote",
  "voter",
  "citoyen",
  "citoyenne",
];

let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: fr.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...fr.dictionary },
  });
  return estimator;
}

/** Lower case, accents dropped, only letters and digits: « Priorités Santé » → « prioritessante ». */
function folded(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** The words of an e-mail address: `marie.dupont@exemple.fr` → marie.dupont, mariedupont, marie, dupont, exemple. */
function emailWords(email: string | undefined): string[] {
  if (!email) return [];
  const [local = "", domain = ""] = email.toLowerCase().split("@");
  const words = [local, folded(local), ...local.split(/[^\p{L}\p{N}]+/u), ...domain.split(".").slice(0, -1)];
  return words.filter((w) => w.length >= 3);
}

export type StrengthVerdict = { ok: true; score: number } | { ok: false; score: number; message: string };

/**
 * Whether a new password is hard enough to guess, and if not, why (in French). Estimated on the
 * password as typed and on its folded form (so « Priorités Santé » is read as the site's name).
 */
export async function checkPasswordStrength(
  password: string,
  context: { email?: string } = {},
): Promise<StrengthVerdict> {
  const checked = password.slice(0, STRENGTH_CHECKED_LENGTH);
  const userInputs = [...SITE_WORDS, ...emailWords(context.email)];
  const results: ZxcvbnResult[] = [await zxcvbn().check(checked, userInputs)];
  const plain = folded(checked);
  if (results[0]!.score >= MIN_PASSWORD_SCORE && plain !== checked && plain.length > 0) {
    results.push(await zxcvbn().check(plain, userInputs));
  }
  const weakest = results.reduce((a, b) => (b.score < a.score ? b : a));
  if (weakest.score >= MIN_PASSWORD_SCORE) return { ok: true, score: weakest.score };
  return { ok: false, score: weakest.score, message: weaknessMessage(weakest) };
}

function weaknessMessage(result: ZxcvbnResult): string {
  const why = result.feedback.warning ? ` ${sentence(result.feedback.warning)}` : "";
  return (
    `Ce mot de passe est trop facile à deviner (force estimée ${result.score} sur 4, il en faut ${MIN_PASSWORD_SCORE}).${why} ` +
    "Choisissez par exemple une phrase de quatre ou cinq mots sans rapport entre eux, sans le nom du site ni votre adresse."
  );
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
