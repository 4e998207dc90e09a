import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileLines, readCsv, splitLines } from "../../db/csv";

// A paper-ballot file is read as a stream (db/csv.ts, fileLines): its lines and their numbers must
// be the ones `readCsv` gives for the same text, wherever the chunks are cut.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-csv-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function streamed(text: string, chunkBytes: number): Promise<string[]> {
  const file = path.join(dir, "f.csv");
  fs.writeFileSync(file, text);
  const lines: string[] = [];
  for await (const chunk of fileLines(file, chunkBytes)) lines.push(...chunk);
  return lines;
}

describe("fileLines", () => {
  // A BOM, every line break (`\r\n` cut between chunks at some size), blank lines, accents and a
  // 4-byte character cut across chunks, with and without a last line break.
  const texts = [
    '\uFEFFarrondissement;grades\r\n333;a=Très prioritaire\r\n\r\n333;"b=Priorité absolue;c=peu"\r333;😀\n141,x\n',
    "a,b\n1,2\r\n3,4\r5,6",
    "a,b\r\n",
    "",
  ];
  for (const [i, text] of texts.entries()) {
    it(`cuts text ${i} as splitLines does, the trailing empty line aside, whatever the chunk size`, async () => {
      const expected = splitLines(text);
      if (expected.at(-1) === "") expected.pop();
      for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) expect(await streamed(text, size)).toEqual(expected);
    });
  }

  it("keeps the line numbers readCsv gives: the same records and errors", async () => {
    const text = texts[0]!;
    const fromStream = (await streamed(text, 3)).join("\n");
    expect(readCsv(fromStream, ["arrondissement", "grades"])).toEqual(readCsv(text, ["arrondissement", "grades"]));
  });
});
