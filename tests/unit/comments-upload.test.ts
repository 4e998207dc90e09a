import { describe, expect, it } from "vitest";
import { readFormWithFile } from "../../app/web/upload.server";
import { MAX_REQUEST_BYTES } from "../../app/comments/labels";

function multipart(fields: Record<string, string>, file?: { name: string; bytes: Uint8Array }): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file)
    form.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), file.name);
  return new Request("http://localhost/x", { method: "POST", body: form });
}

describe("reading a form with a file", () => {
  it("keeps the text fields and the file", async () => {
    const pdf = new TextEncoder().encode("%PDF-1.7\n…");
    const { formData, upload } = await readFormWithFile(
      multipart({ title: "Titre", body: "Texte é" }, { name: "a.pdf", bytes: pdf }),
      "file",
    );
    expect(formData.get("title")).toBe("Titre");
    expect(formData.get("body")).toBe("Texte é");
    expect(upload).toMatchObject({ filename: "a.pdf", tooLarge: false });
    expect(upload!.bytes).toEqual(pdf);
  });

  it("reads a 6 MB file to the end but keeps only 5 MB + 1 byte of it, marked too large", async () => {
    const big = new Uint8Array(6 * 1024 * 1024).fill(0x41);
    const { formData, upload } = await readFormWithFile(
      multipart({ title: "après le fichier" }, { name: "gros.pdf", bytes: big }),
      "file",
    );
    expect(upload?.tooLarge).toBe(true);
    expect(upload?.bytes.byteLength).toBe(5 * 1024 * 1024 + 1);
    expect(formData.get("title")).toBe("après le fichier");
  });

  it("ignores an empty file input, and cuts an oversized text field", async () => {
    const form = new FormData();
    form.append("body", "x".repeat(200_000));
    form.append("file", new Blob([]), "");
    const { formData, upload } = await readFormWithFile(
      new Request("http://localhost/x", { method: "POST", body: form }),
      "file",
    );
    expect(upload).toBeNull();
    expect((formData.get("body") as string).length).toBe(64 * 1024);
  });

  it("refuses a request announced larger than the limit before reading it (413)", async () => {
    const request = new Request("http://localhost/x", {
      method: "POST",
      body: "x",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(MAX_REQUEST_BYTES + 1) },
    });
    const thrown = await readFormWithFile(request, "file").catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(413);
  });
});

describe("file names the parser must accept (issue 17, point 7)", () => {
  for (const name of ["rapport=v2.pdf", "a;b=c.pdf", "compte rendu « 2025 ».pdf", "x=y; z.pdf"]) {
    it(`keeps the fields and the file named ${name}`, async () => {
      const pdf = new TextEncoder().encode("%PDF-1.7\n…");
      const { formData, upload } = await readFormWithFile(
        multipart({ title: "Titre gardé", body: "Texte gardé" }, { name, bytes: pdf }),
        "file",
      );
      expect(formData.get("title")).toBe("Titre gardé");
      expect(formData.get("body")).toBe("Texte gardé");
      expect(upload).toMatchObject({ filename: name, tooLarge: false });
      expect(upload!.bytes).toEqual(pdf);
    });
  }
});
