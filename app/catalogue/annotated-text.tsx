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

/**
 * Where each abbreviation is first used in a text (whole words, as written), without overlaps:
 * the places to explain it once.
 */
export function firstUses(text: string, glossary: readonly Abbreviation[]): Mark[] {
  const marks: Mark[] = [];
  // Longer first, so "IDEL" is not taken for "IDE".
  for (const entry of [...glossary].sort((a, b) => b.abbr.length - a.abbr.length)) {
    const escaped = entry.abbr.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u").exec(text);
    if (!match) continue;
    const start = match.index;
    const end = start + entry.abbr.length;
    if (marks.some((m) => start < m.end && end > m.start)) continue;
    marks.push({ start, end, entry });
  }
  return marks.sort((a, b) => a.start - b.start);
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
