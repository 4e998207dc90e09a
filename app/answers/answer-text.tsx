import { Fragment } from "react";
import { linkify, paragraphs } from "../comments/text";

/**
 * A CTS's justification as React nodes: paragraphs, line breaks and bare https links, nothing
 * else. Every character is a text node (React escapes it): markup is shown, never run; an http,
 * `javascript:` or `data:` address stays plain text.
 */
export function AnswerText({ text }: { text: string }) {
  return (
    <div className="ps-plain-text">
      {paragraphs(text).map((lines, p) => (
        <p key={p}>
          {lines.map((line, l) => (
            <Fragment key={l}>
              {l > 0 ? <br /> : null}
              {linkify(line).map((piece, i) =>
                piece.kind === "link" && piece.href.startsWith("https://") ? (
                  <a key={i} href={piece.href} rel="noopener">
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
