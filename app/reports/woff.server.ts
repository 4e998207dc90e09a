import { inflateSync } from "node:zlib";

/**
 * A WOFF 1.0 font unwrapped into the TrueType/OpenType file it carries (W3C WOFF 1.0, §4–5):
 * each table inflated when compressed, then laid out again behind an sfnt table directory.
 * pdfkit's font engine (fontkit 2) reads WOFF files but fails on Marianne's (its glyph boxes are
 * read past the end of the decompressed table), while it embeds and subsets the same tables as a
 * plain sfnt file without trouble.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error("not a WOFF 1.0 file");
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const tag = woff.readUInt32BE(at);
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const checksum = woff.readUInt32BE(at + 16);
    const stored = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(stored) : Buffer.from(stored);
    if (data.length !== origLength) throw new Error("WOFF table of the wrong length");
    tables.push({ tag, checksum, data });
  }
  // The sfnt header's binary-search fields (OpenType spec, "Table Directory").
  const power = 2 ** Math.floor(Math.log2(numTables));
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(numTables * 16 - power * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables
    .sort((a, b) => a.tag - b.tag)
    .forEach((t, i) => {
      const at = 12 + i * 16;
      header.writeUInt32BE(t.tag, at);
      header.writeUInt32BE(t.checksum, at + 4);
      header.writeUInt32BE(offset, at + 8);
      header.writeUInt32BE(t.data.length, at + 12);
      const padded = Buffer.alloc((t.data.length + 3) & ~3);
      t.data.copy(padded);
      parts.push(padded);
      offset += padded.length;
    });
  return Buffer.concat(parts);
}
