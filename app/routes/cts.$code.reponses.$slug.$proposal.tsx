import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { answerForEditing, findProposal, saveAnswer } from "~/answers/answers.server";
import { AnswerBody } from "~/answers/answer-views";
import { answerSchema } from "~/answers/forms";
import { ANSWER_STATUS_LABELS, ANSWER_STATUSES, JUSTIFICATION_MAX, JUSTIFICATION_MIN } from "~/answers/labels";
import { db } from "~/platform/db.server";
import { readFormData } from "~/web/form.server";
import { answerResponse, requireAnswering } from "~/web/answers-access.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { formatDateTime } from "~/ui/format";
import { RadioGroup, TextareaField } from "~/ui/textarea";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Réponse — ${data.proposal.title} — Priorités Santé` : "Réponse du CTS — Priorités Santé" },
];

async function load(params: LoaderFunctionArgs["params"], request: Request, context: LoaderFunctionArgs["context"]) {
  const scope = await requireAnswering(db(), context, request, params);
  const proposal = await findProposal(db(), scope.consultation.id, params.proposal ?? "");
  if (!proposal) throw new Response("Cette proposition n’existe pas dans cette consultation.", { status: 404 });
  return { ...scope, proposal };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { consultation, territory, proposal } = await load(params, request, context);
  const answer = await answerForEditing(db(), {
    consultationId: consultation.id,
    ctsCode: territory.code,
    proposalId: proposal.id,
  });
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    territory,
    proposal: { slug: proposal.slug, title: proposal.title },
    version: answer?.version ?? 0,
    publishedVersion: answer?.publishedVersion ?? null,
    versions: answer?.versions ?? [],
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { consultation, territory, proposal, user } = await load(params, request, context);
  const submission = parseWithZod(await readFormData(request), { schema: answerSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), conflict: null }, { status: 400 });
  try {
    const saved = await saveAnswer(db(), {
      consultationId: consultation.id,
      ctsCode: territory.code,
      proposalId: proposal.id,
      authorId: user.id,
      value: submission.value,
    });
    if (!saved.ok) {
      // Nothing written: the editor keeps their text and sees the one saved meanwhile.
      return data({ result: submission.reply(), conflict: saved.conflict }, { status: 409 });
    }
    return redirect(
      `/cts/${encodeURIComponent(territory.code)}/reponses/${consultation.slug}/${proposal.slug}?enregistre=${saved.version}`,
    );
  } catch (error) {
    throw answerResponse(error);
  }
}

export default function AnswerEditor() {
  const { consultation, territory, proposal, version, publishedVersion, versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const latest = versions[0];
  const conflict = actionData?.conflict ?? null;
  const [form, fields] = useForm({
    id: "answer-form",
    lastResult: actionData?.result,
    constraint: getZodConstraint(answerSchema),
    defaultValue: latest
      ? {
          status: latest.status,
          justification: latest.justification,
          planReference: latest.planReference ?? "",
          planUrl: latest.planUrl ?? "",
          nextStep: latest.nextStep ?? "",
          answeredOn: latest.answeredOn,
          dueOn: latest.dueOn ?? "",
        }
      : { answeredOn: new Date().toISOString().slice(0, 10) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: answerSchema }),
    shouldRevalidate: "onBlur",
  });
  const code = encodeURIComponent(territory.code);
  const base = `/cts/${code}/reponses/${consultation.slug}`;
  // After a conflict, saving again replaces the version the other member saved, knowingly.
  const baseVersion = conflict?.version ?? version;
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/cts/${code}`, label: `CTS ${territory.name}` },
          { to: base, label: `Réponses — ${consultation.title}` },
          { label: proposal.title },
        ]}
      />
      <h1>Réponse du CTS {territory.name}</h1>
      <p className="fr-text--lead">
        <Link to={`/consultations/${consultation.slug}/propositions/${proposal.slug}`}>{proposal.title}</Link>
      </p>
      {searchParams.get("enregistre") && !actionData ? (
        <Notice kind="success" title="Brouillon enregistré">
          Version {searchParams.get("enregistre")} enregistrée. Elle sera visible des habitants quand le CTS publiera
          ses réponses.
        </Notice>
      ) : null}
      {conflict ? (
        <div className="fr-alert fr-alert--warning fr-mb-3w" role="alert" data-testid="answer-conflict">
          <h2 className="fr-alert__title">Un autre membre a modifié cette réponse pendant que vous l’écriviez</h2>
          <p>
            Votre texte n’a pas été enregistré ; il est toujours dans le formulaire ci-dessous. Voici la version{" "}
            {conflict.version} enregistrée le {formatDateTime(conflict.current.createdAt)}
            {conflict.current.author ? ` par ${conflict.current.author}` : ""}. Reprenez ce qui doit l’être, puis
            enregistrez : votre version remplacera la sienne (toutes restent dans l’historique).
          </p>
          <div className="fr-mt-2w">
            <AnswerBody answer={conflict.current} />
          </div>
        </div>
      ) : null}
      <p>
        {latest
          ? publishedVersion === version
            ? "La version affichée est publiée."
            : publishedVersion
              ? `Version ${version} en brouillon ; la version ${publishedVersion} est celle que voient les habitants.`
              : "Brouillon : pas encore publié."
          : "Pas encore de réponse."}
      </p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="baseVersion" value={baseVersion} key={baseVersion} />
        <RadioGroup
          meta={fields.status}
          legend="Suite donnée à la proposition"
          options={ANSWER_STATUSES.map((s) => ({ value: s, label: ANSWER_STATUS_LABELS[s] }))}
        />
        <TextareaField
          meta={fields.justification}
          label="Justification publique"
          hint={`Texte brut de ${JUSTIFICATION_MIN} à ${JUSTIFICATION_MAX} caractères. Les adresses https:// deviennent des liens ; le reste (balises, autres adresses) s’affiche tel quel.`}
          rows={8}
          maxLength={JUSTIFICATION_MAX}
        />
        <InputField
          meta={fields.planReference}
          label="Objectif du projet régional de santé ou du projet territorial (facultatif)"
          hint="Une référence courte, par exemple « PRS 2023-2028, objectif 12 »."
        />
        <InputField meta={fields.planUrl} label="Lien vers cet objectif (facultatif)" hint="Une adresse https://." />
        <InputField meta={fields.nextStep} label="Contact ou prochaine étape (facultatif)" />
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <InputField meta={fields.answeredOn} label="Date de la réponse" extra={{ type: "date" }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <InputField
              meta={fields.dueOn}
              label="Échéance (facultatif)"
              hint="La date à laquelle le CTS s’engage à revenir sur cette réponse."
              extra={{ type: "date" }}
            />
          </div>
        </div>
        <button className="fr-btn" type="submit">
          Enregistrer le brouillon
        </button>
      </Form>

      {versions.length ? (
        <section className="fr-mt-6w" aria-labelledby="historique">
          <h2 id="historique" className="fr-h4">
            Historique
          </h2>
          <ol reversed>
            {versions.map((v) => (
              <li key={v.version} className="fr-mb-3w" data-testid="answer-version">
                <p className="fr-text--sm fr-mb-1w">
                  Version {v.version}, enregistrée le {formatDateTime(v.createdAt)}
                  {v.author ? ` par ${v.author}` : ""} —{" "}
                  {v.publishedAt ? `publiée le ${formatDateTime(v.publishedAt)}` : "non publiée"}
                </p>
                <AnswerBody answer={v} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
