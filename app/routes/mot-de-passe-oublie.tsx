import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { sendPasswordResetEmail } from "~/identity/account-emails.server";
import { forgotPasswordSchema } from "~/identity/forms";
import { findUserByEmail } from "~/identity/users.server";
import { db } from "~/platform/db.server";
import { refund, retryHeaders, take } from "~/platform/rate-limit.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Mot de passe oublié — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: forgotPasswordSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400 });
  // Counted whether or not the address has an account, so a 429 reveals nothing either.
  const fromAddress = await take("passwordResetPerAddress", context.clientAddress);
  const forEmail = fromAddress.ok ? await take("passwordResetPerEmail", submission.value.email) : fromAddress;
  if (!forEmail.ok) {
    if (fromAddress.ok) await refund("passwordResetPerAddress", context.clientAddress);
    return data(
      { result: submission.reply({ formErrors: [forEmail.message] }), sent: false },
      { status: 429, headers: retryHeaders(forEmail) },
    );
  }
  const user = await findUserByEmail(db(), submission.value.email);
  if (user) await sendPasswordResetEmail(db(), user);
  // The same answer whether or not the address has an account.
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(forgotPasswordSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Mot de passe oublié</h1>
        {actionData?.sent ? (
          <Notice kind="success" title="Demande enregistrée">
            Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé avec un lien pour choisir un
            nouveau mot de passe (valable 1 heure).
          </Notice>
        ) : null}
        {form.errors?.length ? (
          <Notice kind="error" title="Demande temporairement bloquée">
            {form.errors.join(" ")}
          </Notice>
        ) : null}
        <Form method="post" {...getFormProps(form)}>
          <InputField
            meta={fields.email}
            label="Adresse électronique de votre compte"
            type="email"
            autoComplete="email"
          />
          <button className="fr-btn" type="submit">
            Recevoir un lien
          </button>
        </Form>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
