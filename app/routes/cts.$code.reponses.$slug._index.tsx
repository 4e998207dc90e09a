import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AnswerError, answerWorkspace, pastDue } from "~/answers/answers.server";
import { AnswerBadge } from "~/answers/answer-views";
import { publishSchema, resumeSchema } from "~/answers/forms";
import { isRunning, startNotices } from "~/answers/notices.server";
import { listPublications, publishAnswers } from "~/answers/publication.server";
import { db } from "~/platform/db.server";
import { readFormData } from "~/web/form.server";
import { answerResponse, requireAnswering } from "~/web/answers-access.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, Notice } from "~/ui/fields";
import { formatDate, formatDateTime, formatNumber } from "~/ui/format";
import { DataTable } from "~/ui/table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Réponses du CTS ${data.territory.name} — ${data.consultation.title} — Priorités Santé`
      : "Réponses du CTS — Priorités Santé",
  },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { consultation, territory } = await requireAnswering(db(), context, request, params);
  const [workspace, publications] = await Promise.all([
    answerWorkspace(db(), consultation, territory.code),
    listPublications(db(), consultation.id, territory.code),
  ]);
  const today = new Date().toISOString().slice(0, 10);
  return {
    consultation: { slug: consultation.slug, title: consultation.title, status: consultation.status },
    territory,
    ballots: workspace.ballots,
    rows: workspace.rows.map((r) => ({
      slug: r.slug,
      title: r.title,
      rank: r.rank,
      status: r.latest?.status ?? null,
      pending: r.pending,
      published: r.publishedVersion !== null,
    })),
    pending: workspace.pending,
    pastDue: pastDue(workspace.rows, today).map((r) => ({ slug: r.slug, title: r.title, dueOn: r.latest!.dueOn! })),
    publications: publications.map((p) => ({ ...p, running: isRunning(p.id) })),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { consultation, territory, user } = await requireAnswering(db(), context, request, params);
  const formData = await readFormData(request);
  if (formData.get("intent") === "resume") {
    const submission = parseWithZod(formData, { schema: resumeSchema });
    if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400 });
    const own = (await listPublications(db(), consultation.id, territory.code)).some(
      (p) => p.id === submission.value.publication,
    );
    if (!own) throw new Response("Cette publication n’est pas celle de ce CTS.", { status: 404 });
    startNotices(db(), submission.value.publication);
    return { result: submission.reply(), message: "L’envoi des e-mails a repris." };
  }
  const submission = parseWithZod(formData, { schema: publishSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400 });
  try {
    const published = await publishAnswers(db(), {
      consultationId: consultation.id,
      ctsCode: territory.code,
      userId: user.id,
    });
    startNotices(db(), published.id);
    return {
      result: submission.reply({ resetForm: true }),
      message: `${published.answers} réponse${published.answers > 1 ? "s" : ""} publiée${published.answers > 1 ? "s" : ""} (publication n° ${published.number}). Les habitants qui l’ont demandé sont prévenus par e-mail.`,
    };
  } catch (error) {
    if (error instanceof AnswerError)
      return data(
        { result: submission.reply({ formErrors: [error.message] }), message: null },
        { status: error.status },
      );
    throw answerResponse(error);
  }
}

export default function AnswersWorkspace() {
  const { consultation, territory, ballots, rows, pending, pastDue, publications } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "publish-form",
    lastResult: actionData?.result,
    constraint: getZodConstraint(publishSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: publishSchema }),
  });
  const code = encodeURIComponent(territory.code);
  const base = `/cts/${code}/reponses/${consultation.slug}`;
  const published = consultation.status === "results_published";
  return (
    <>
      <Breadcrumb
        items={[{ to: `/cts/${code}`, label: `CTS ${territory.name}` }, { label: `Réponses — ${consultation.title}` }]}
      />
      <h1>Réponses du CTS {territory.name}</h1>
      <p className="fr-text--lead">{consultation.title}</p>
      <p>
        Pour chaque proposition, le CTS indique la suite qu’il lui donne. Les réponses restent des brouillons, visibles
        des seuls membres du CTS et des administrateurs, jusqu’à leur publication, en une fois, après celle des
        résultats. {formatNumber(ballots)} bulletin{ballots > 1 ? "s" : ""} dans le territoire.
      </p>
      {actionData?.message ? <Notice kind="success">{actionData.message}</Notice> : null}
      {form.errors?.length ? (
        <Notice kind="error" title="Publication refusée">
          {form.errors.join(" ")}
        </Notice>
      ) : null}

      <section className="fr-mb-4w" aria-labelledby="publier">
        <h2 id="publier" className="fr-h4">
          Publier
        </h2>
        {!published ? (
          <p>
            Les résultats de cette consultation ne sont pas encore publiés : vous pouvez rédiger vos réponses, elles
            seront publiables ensuite.
          </p>
        ) : null}
        {pending ? (
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="publish" />
            <div className="fr-checkbox-group fr-mb-2w">
              <input type="checkbox" id={fields.confirm.id} name={fields.confirm.name} value="on" />
              <label className="fr-label" htmlFor={fields.confirm.id}>
                Je publie, au nom du CTS, les {pending} réponse{pending > 1 ? "s" : ""} nouvelle{pending > 1 ? "s" : ""}{" "}
                ou modifiée{pending > 1 ? "s" : ""}
              </label>
              <FieldErrors id={fields.confirm.errorId} errors={fields.confirm.errors} />
            </div>
            <button className="fr-btn" type="submit">
              Publier les réponses
            </button>
          </Form>
        ) : (
          <p>Aucune réponse nouvelle ou modifiée à publier.</p>
        )}
        {publications.length ? (
          <DataTable id="publications" caption="Journal des publications">
            <thead>
              <tr>
                <th scope="col">N°</th>
                <th scope="col">Date</th>
                <th scope="col">Par</th>
                <th scope="col">Réponses</th>
                <th scope="col">E-mails aux habitants</th>
              </tr>
            </thead>
            <tbody>
              {publications.map((p) => (
                <tr key={p.id}>
                  <td>{p.number}</td>
                  <td>{formatDateTime(p.published_at)}</td>
                  <td>{p.published_by ?? "compte supprimé"}</td>
                  <td>{p.answers}</td>
                  <td data-testid="notice-progress">
                    {p.notices_sent} / {p.notices_total}{" "}
                    {p.notices_done_at ? (
                      "— terminé"
                    ) : p.running ? (
                      "— en cours"
                    ) : (
                      <Form method="post" className="ps-inline-form">
                        <input type="hidden" name="intent" value="resume" />
                        <input type="hidden" name="publication" value={p.id} />
                        <button className="fr-btn fr-btn--tertiary fr-btn--sm" type="submit">
                          Reprendre l’envoi
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        ) : null}
      </section>

      {pastDue.length ? (
        <section className="fr-mb-4w" aria-labelledby="echues">
          <h2 id="echues" className="fr-h4">
            Échéances dépassées sans mise à jour
          </h2>
          <ul data-testid="past-due">
            {pastDue.map((p) => (
              <li key={p.slug}>
                <Link to={`${base}/${p.slug}`}>{p.title}</Link> — échéance du {formatDate(p.dueOn)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="propositions">
        <h2 id="propositions" className="fr-h4">
          Les propositions, dans l’ordre du classement du territoire
        </h2>
        <DataTable id="reponses" caption="Classement et réponses du CTS">
          <thead>
            <tr>
              <th scope="col">Rang</th>
              <th scope="col">Proposition</th>
              <th scope="col">Réponse</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.slug}>
                <td>{r.rank ?? "—"}</td>
                <td>
                  <Link to={`${base}/${r.slug}`}>{r.title}</Link>
                </td>
                <td>
                  {r.status ? <AnswerBadge status={r.status} /> : "Pas de réponse"}
                  {r.pending ? (
                    <>
                      {" "}
                      <span className="fr-badge fr-badge--sm fr-badge--new">
                        {r.published ? "Modification non publiée" : "Brouillon"}
                      </span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
