import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import type { Upload } from "~/associations/associations.server";
import { MAX_REQUEST_BYTES, PDF_MAX_BYTES } from "~/comments/labels";

/** Text fields are read up to this many bytes: enough for 10,000 characters of any script. */
const TEXT_PART_BYTES = 64 * 1024;

function concat(chunks: Uint8Array[]): Uint8Array {
  const size = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * Reads a multipart form with one optional file field, streaming: at most 5 MB (+1 byte) of the
 * file and 64 KB of each text field are kept in memory; the rest is read and dropped, so an
 * oversized file gets a clear refusal instead of a reset connection. Throws a 413 Response for a
 * request announced larger than MAX_REQUEST_BYTES.
 */
export async function readFormWithFile(
  request: Request,
  fileField: string,
): Promise<{ formData: FormData; upload: Upload | null }> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_REQUEST_BYTES) {
    throw new Response("Envoi trop volumineux : la pièce jointe ne doit pas dépasser 5 Mo.", { status: 413 });
  }
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    return { formData: await request.formData(), upload: null };
  }
  let upload: Upload | null = null;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const keep = filename === undefined ? TEXT_PART_BYTES : name === fileField && filename ? PDF_MAX_BYTES + 1 : 0;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      if (size < keep) chunks.push(chunk.subarray(0, keep - size));
      size += chunk.byteLength;
    }
    if (filename === undefined) return new TextDecoder().decode(concat(chunks));
    if (name === fileField && filename) {
      upload = { filename, bytes: concat(chunks), tooLarge: size > PDF_MAX_BYTES };
    }
    return undefined;
  };
  const formData = await unstable_parseMultipartFormData(request, handler);
  return { formData, upload };
}
