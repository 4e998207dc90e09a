import type { Upload } from "~/associations/associations.server";
import { MAX_REQUEST_BYTES, PDF_MAX_BYTES } from "~/comments/labels";

/** Text fields are kept up to this many bytes: enough for 10,000 characters of any script. */
const TEXT_PART_BYTES = 64 * 1024;

function cutText(value: string): string {
  const bytes = new TextEncoder().encode(value);
  return bytes.byteLength <= TEXT_PART_BYTES ? value : new TextDecoder().decode(bytes.subarray(0, TEXT_PART_BYTES));
}

/**
 * Reads a multipart form with one optional file field. Node's own parser reads it: Remix's
 * `unstable_parseMultipartFormData` refuses a file name holding "=" or ";" (`rapport=v2.pdf`),
 * which lost what the person had typed. The body is already capped by the server
 * (app/platform/request-body.server.ts); a request announced larger than MAX_REQUEST_BYTES gets a
 * 413 Response before it is read. Of the file, 5 MB + 1 byte are kept so an oversized one gets a
 * clear refusal; text fields are cut at 64 KB, other files dropped.
 */
export async function readFormWithFile(
  request: Request,
  fileField: string,
): Promise<{ formData: FormData; upload: Upload | null }> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_REQUEST_BYTES) {
    throw new Response("Envoi trop volumineux : la pièce jointe ne doit pas dépasser 5 Mo.", { status: 413 });
  }
  const parsed = await request.formData();
  const formData = new FormData();
  let upload: Upload | null = null;
  for (const [name, value] of parsed) {
    if (typeof value === "string") {
      formData.append(name, cutText(value));
    } else if (name === fileField && value.name && upload === null) {
      const bytes = new Uint8Array(await value.slice(0, PDF_MAX_BYTES + 1).arrayBuffer());
      upload = { filename: value.name, bytes, tooLarge: value.size > PDF_MAX_BYTES };
    }
  }
  return { formData, upload };
}
