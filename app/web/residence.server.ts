import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import { currentLevel } from "~/identity/assurance.server";
import { enterPostalCode, pendingLetter, requestLetter } from "~/identity/postal-letters.server";
import { letterRequestSchema, postalCodeEntrySchema } from "~/identity/residence-forms";
import type { SessionUser } from "~/identity/session.server";
import { db } from "~/platform/db.server";
import { charge, peek, retryHeaders } from "~/platform/rate-limit.server";
import { Refusal } from "~/platform/refusal";
import { formatDate } from "~/ui/format";
import { REFUSAL_STATUS } from "./access.server";

// « Mon compte »'s part for the proof of residence by letter: what its section shows, and its two
// forms (ask a letter, enter the code), dispatched by intent from the page's action.

export const RESIDENCE_INTENTS = ["postal_letter", "postal_code"] as const;

/** What the section shows, dates already in French (pages get their dates from the server). */
export async function residenceView(userId: string) {
  const [letter, level] = await Promise.all([pendingLetter(db(), userId), currentLevel(db(), userId)]);
  return {
    level,
    letter: letter && {
      ...letter,
      requestedOn: formatDate(letter.requestedAt),
      sentOn: letter.sentAt ? formatDate(letter.sentAt) : null,
      validUntil: letter.expiresAt ? formatDate(letter.expiresAt) : null,
    },
  };
}

export type ResidenceView = Awaited<ReturnType<typeof residenceView>>;

export async function residenceAction(user: SessionUser, intent: string, formData: FormData) {
  if (intent === "postal_letter") {
    const submission = parseWithZod(formData, { schema: letterRequestSchema });
    if (submission.status !== "success")
      return data({ result: undefined, letterResult: submission.reply(), message: null }, { status: 400 });
    // Counted only once the letter is queued: a refused postal code costs nothing.
    const allowance = await peek("postalLetters", user.id);
    if (!allowance.ok)
      return data(
        { result: undefined, letterResult: submission.reply({ formErrors: [allowance.message] }), message: null },
        { status: 429, headers: retryHeaders(allowance) },
      );
    try {
      const queued = await requestLetter(db(), user.id, submission.value);
      await charge("postalLetters", user.id);
      return {
        result: undefined,
        letterResult: submission.reply({ resetForm: true }),
        message: `Votre demande est enregistrée : un courrier avec votre code partira vers votre adresse à ${queued.communeName}.${queued.replaced ? " Le courrier demandé auparavant est annulé : son code ne servira plus." : ""}`,
      };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return data(
        {
          result: undefined,
          letterResult: submission.reply({ fieldErrors: { postalCode: [error.message] } }),
          message: null,
        },
        { status: REFUSAL_STATUS[error.code] },
      );
    }
  }
  const submission = parseWithZod(formData, { schema: postalCodeEntrySchema });
  const hide = { hideFields: ["code"] };
  if (submission.status !== "success")
    return data({ result: undefined, codeResult: submission.reply(hide), message: null }, { status: 400 });
  try {
    await enterPostalCode(db(), user.id, submission.value.code);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return data(
      { result: undefined, codeResult: submission.reply({ ...hide, formErrors: [error.message] }), message: null },
      { status: REFUSAL_STATUS[error.code] },
    );
  }
  return {
    result: undefined,
    codeResult: submission.reply({ resetForm: true }),
    message: "Votre résidence est confirmée : votre compte a désormais le niveau de garantie « Résidence ».",
  };
}
