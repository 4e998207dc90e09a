import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { setNoticeWish, wantsNotices } from "~/answers/choices.server";
import { NoticeWishForm } from "~/answers/answer-views";
import { noticeSchema } from "~/answers/forms";
import { db } from "~/platform/db.server";
import { readFormData } from "~/web/form.server";
import { requireUser } from "~/web/guards.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Réponses des CTS — Mon compte — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { on: await wantsNotices(db(), user.id) };
}

/** The wish to be told of the CTS's answers (off by default), from « Mon compte » or a ballot page. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const submission = parseWithZod(await readFormData(request), { schema: noticeSchema });
  if (submission.status !== "success") throw new Response("Formulaire illisible.", { status: 400 });
  await setNoticeWish(db(), user.id, submission.value.notify);
  const back = submission.value.back;
  return redirect(
    `${back}${back.includes("?") ? "&" : "?"}avis=${submission.value.notify ? "oui" : "non"}#avis-reponses`,
  );
}

export default function NoticeWish() {
  const { on } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumb items={[{ to: "/mon-compte", label: "Mon compte" }, { label: "Réponses des CTS" }]} />
      <h1>Être prévenu·e des réponses des CTS</h1>
      <NoticeWishForm on={on} back="/mon-compte/reponses-cts" />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
