import { Fragment } from "react";
import { linkify, paragraphs } from "./text";

/**
 * Text written by people, as React nodes: paragraphs, line breaks and bare http(s) links, nothing
 * else. Every character is a text node (React escapes it), so markup in a comment is shown, never
 * run; links carry rel="nofollow ugc noopener". Such text must never be injected as HTML.
 */
export function PlainText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `ps-plain-text ${className}` : "ps-plain-text"}>
      {paragraphs(text).map((lines, p) => (
        <p key={p}>
          {lines.map((line, l) => (
            <Fragment key={l}>
              {l > 0 ? <br /> : null}
              {linkify(line).map((piece, i) =>
                piece.kind === "link" ? (
                  <a key={i} href={piece.href} rel="nofollow ugc noopener">
                    {piece.text}
                  </a>
                ) : (
                  <Fragment key={i}>{piece.text}</Fragment>
                ),
              )}
            </Fragment>
          ))}
        </p>
      ))}
    </div>
  );
}
