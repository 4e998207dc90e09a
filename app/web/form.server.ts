/** What a person reads when a form's body cannot be read (broken multipart, truncated, wrong encoding). */
export const UNREADABLE_FORM =
  "Le formulaire envoyé est illisible : rien n’a été enregistré. Rechargez la page et envoyez-le de nouveau.";

/**
 * The one way actions read their form: a body that does not parse is the client's fault, answered
 * 400 with a French message instead of a 500. (Content types other than a form's were already
 * refused with 415 by the server, app/platform/request-body.server.ts.)
 */
export function readFormData(request: Request): Promise<FormData> {
  return readingForm(request.formData());
}

/** The same mapping for a route that reads its body another way (a streamed upload). */
export async function readingForm<T>(reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (error) {
    if (error instanceof Response) throw error;
    throw new Response(UNREADABLE_FORM, { status: 400 });
  }
}
