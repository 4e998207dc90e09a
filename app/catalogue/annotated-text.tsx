import { Fragment, type ReactNode } from "react";

export interface Abbreviation {
  abbr: string;
  expansion: string;
}

interface Mark {
  start: number;
  end: number;
  entry: Abbreviation;
}

const plainUpper = (word: string) => word.normalize("NFKD").replace(/\p{M}/gu, "").toUpperCase();

/**
 * Where each abbreviation is first used in a text (whole words), without overlaps: the places to
 * explain it once. A sigle is matched as written; one of four letters or more also in a case or
 * accent variant that starts with a capital ("Asalée", "OSYS"), never in lower case ("caps"), so
 * that ordinary words are not taken for sigles.
 */
export function firstUses(text: string, glossary: readonly Abbreviation[]): Mark[] {
  const marks: Mark[] = [];
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ word: m[0], start: m.index }));
  // Longer first, so "IDEL" is not taken for "IDE".
  for (const entry of [...glossary].sort((a, b) => b.abbr.length - a.abbr.length)) {
    const loose = entry.abbr.length >= 4;
    const found = words.find(
      ({ word }) =>
        word === entry.abbr || (loose && /^\p{Lu}/u.test(word) && plainUpper(word) === plainUpper(entry.abbr)),
    );
    if (!found) continue;
    const start = found.start;
    const end = start + found.word.length;
    if (marks.some((m) => start < m.end && end > m.start)) continue;
    marks.push({ start, end, entry });
  }
  return marks.sort((a, b) => a.start - b.start);
}

/** A title or a summary, inline, each abbreviation explained at its first use (list cards). */
export function AnnotatedLine({ text, glossary }: { text: string; glossary: readonly Abbreviation[] }) {
  const nodes: ReactNode[] = [];
  let cursor = 0;
  for (const mark of firstUses(text, glossary)) {
    nodes.push(text.slice(cursor, mark.start));
    nodes.push(
      <abbr key={mark.start} title={mark.entry.expansion}>
        {text.slice(mark.start, mark.end)}
      </abbr>,
    );
    cursor = mark.end;
  }
  nodes.push(text.slice(cursor));
  return (
    <>
      {nodes.map((n, i) => (
        <Fragment key={i}>{n}</Fragment>
      ))}
    </>
  );
}

/**
 * A proposal's text as paragraphs, each abbreviation wrapped in <abbr> at its first use. Built
 * from React elements only: the text is never parsed as HTML.
 */
export function AnnotatedText({ text, glossary }: { text: string; glossary: readonly Abbreviation[] }) {
  const marks = firstUses(text, glossary);
  const nodes: ReactNode[] = [];
  let cursor = 0;
  for (const mark of marks) {
    nodes.push(text.slice(cursor, mark.start));
    nodes.push(
      <abbr key={mark.start} title={mark.entry.expansion}>
        {text.slice(mark.start, mark.end)}
      </abbr>,
    );
    cursor = mark.end;
  }
  nodes.push(text.slice(cursor));
  // Split into paragraphs on blank lines, keeping the <abbr> elements where they fell.
  const paragraphs: ReactNode[][] = [[]];
  for (const node of nodes) {
    if (typeof node !== "string") {
      paragraphs[paragraphs.length - 1]!.push(node);
      continue;
    }
    const pieces = node.split(/\n\s*\n/);
    pieces.forEach((piece, i) => {
      if (i > 0) paragraphs.push([]);
      if (piece) paragraphs[paragraphs.length - 1]!.push(piece);
    });
  }
  return (
    <>
      {paragraphs
        .filter((p) => p.length)
        .map((p, i) => (
          <p key={i}>
            {p.map((n, j) => (
              <Fragment key={j}>{n}</Fragment>
            ))}
          </p>
        ))}
    </>
  );
}
