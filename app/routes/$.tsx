import { GeneralErrorBoundary } from "~/ui/error-boundary";

// Any address no route knows: a 404 in the site's look.
export async function loader() {
  throw new Response("Page introuvable.", { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
