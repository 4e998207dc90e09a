import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import type { AssuranceLevel } from "../../db/schema";
import { InputField, Notice } from "../ui/fields";
import { ASSURANCE_LABELS, meetsLevel } from "./assurance";
import { POSTAL_CODE_TRIES, POSTAL_CODE_VALID_DAYS } from "./postal-code-rules";
import { letterRequestSchema, postalCodeEntrySchema } from "./residence-forms";

// « Mon compte »: proving one lives in the declared commune with a code sent by post (Decidim's
// model). The page's action handles the intents postal_letter and postal_code.

interface LetterView {
  status: "requested" | "sent";
  recipient: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  communeName: string;
  requestedOn: string;
  sentOn: string | null;
  validUntil: string | null;
  triesLeft: number;
  expired: boolean;
  locked: boolean;
}

export function ResidenceSection({
  level,
  letter,
  communeName,
  letterResult,
  codeResult,
}: {
  level: AssuranceLevel;
  letter: LetterView | null;
  communeName: string | null;
  letterResult: SubmissionResult<string[]> | undefined;
  codeResult: SubmissionResult<string[]> | undefined;
}) {
  const confirmed = meetsLevel(level, "residence");
  const usable = letter?.status === "sent" && !letter.expired && !letter.locked;
  return (
    <section className="fr-mb-6w" id="residence" aria-labelledby="residence-titre">
      <h2 id="residence-titre">Confirmer ma résidence par courrier</h2>
      {confirmed ? (
        <p data-testid="residence-status">
          Votre résidence{communeName ? ` à ${communeName}` : ""} est confirmée : niveau de garantie «{" "}
          {ASSURANCE_LABELS[level]} ».
        </p>
      ) : (
        <>
          <p>
            Pour certaines consultations, il faut prouver que vous habitez votre commune
            {communeName ? ` (${communeName})` : ""}. Nous vous envoyons par la poste un code personnel, à saisir ici
            dans les {POSTAL_CODE_VALID_DAYS} jours qui suivent l’envoi. Vous pouvez aussi vous faire confirmer à un
            guichet habilité (mairie, France Services).
          </p>
          {letter ? <LetterStatus letter={letter} /> : null}
          {usable ? <CodeForm lastResult={codeResult} /> : null}
          <LetterForm lastResult={letterResult} again={letter !== null} />
        </>
      )}
    </section>
  );
}

function LetterStatus({ letter }: { letter: LetterView }) {
  const address = [letter.recipient, letter.line1, letter.line2, `${letter.postalCode} ${letter.communeName}`]
    .filter(Boolean)
    .join(", ");
  if (letter.status === "requested")
    return (
      <p data-testid="letter-status">
        Courrier demandé le {letter.requestedOn}, pas encore parti, pour : {address}.
      </p>
    );
  if (letter.locked)
    return (
      <Notice kind="warning">
        Le code du courrier envoyé le {letter.sentOn} est bloqué après {POSTAL_CODE_TRIES} essais incorrects : demandez
        un nouveau courrier ci-dessous.
      </Notice>
    );
  if (letter.expired)
    return (
      <Notice kind="warning">
        Le code du courrier envoyé le {letter.sentOn} a expiré le {letter.validUntil} : demandez un nouveau courrier
        ci-dessous.
      </Notice>
    );
  return (
    <p data-testid="letter-status">
      Courrier envoyé le {letter.sentOn} à : {address}. Son code est valable jusqu’au {letter.validUntil} ; il vous
      reste {letter.triesLeft} essai{letter.triesLeft > 1 ? "s" : ""}.
    </p>
  );
}

function CodeForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm({
    id: "postal-code-form",
    lastResult,
    constraint: getZodConstraint(postalCodeEntrySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: postalCodeEntrySchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="fr-mb-4w">
      {form.errors?.length ? <Notice kind="error">{form.errors.join(" ")}</Notice> : null}
      <input type="hidden" name="intent" value="postal_code" />
      <InputField
        meta={fields.code}
        label="Code reçu par courrier"
        hint="8 lettres et chiffres, par exemple ABCD 2345 (les espaces ne comptent pas)."
        autoComplete="one-time-code"
        extra={{ autoCapitalize: "characters", spellCheck: false }}
      />
      <button className="fr-btn" type="submit">
        Valider mon code
      </button>
    </Form>
  );
}

function LetterForm({ lastResult, again }: { lastResult: SubmissionResult<string[]> | undefined; again: boolean }) {
  const [form, fields] = useForm({
    id: "letter-form",
    lastResult,
    constraint: getZodConstraint(letterRequestSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: letterRequestSchema }),
    shouldRevalidate: "onBlur",
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <h3 className="fr-h6">{again ? "Demander un nouveau courrier" : "Recevoir un code par courrier"}</h3>
      {again ? <p>Un nouveau courrier annule le précédent : seul le dernier code servira.</p> : null}
      {form.errors?.length ? <Notice kind="error">{form.errors.join(" ")}</Notice> : null}
      <input type="hidden" name="intent" value="postal_letter" />
      <InputField meta={fields.recipient} label="Nom et prénom du destinataire" autoComplete="name" />
      <InputField
        meta={fields.line1}
        label="Numéro et voie"
        hint="Par exemple : 12 rue des Lilas"
        autoComplete="address-line1"
      />
      <InputField
        meta={fields.line2}
        label="Complément d’adresse (facultatif)"
        hint="Bâtiment, étage, lieu-dit…"
        autoComplete="address-line2"
      />
      <InputField
        meta={fields.postalCode}
        label="Code postal"
        hint="Celui de votre commune : le courrier ne part que dans la commune que vous avez déclarée."
        autoComplete="postal-code"
        extra={{ inputMode: "numeric" }}
      />
      <button className="fr-btn fr-btn--secondary" type="submit">
        {again ? "Demander un nouveau courrier" : "Demander un code par courrier"}
      </button>
    </Form>
  );
}
