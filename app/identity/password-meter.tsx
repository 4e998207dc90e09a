import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";

type Strength = { score: number | null; ok: boolean; message: string | null; needed?: number };

const WORDS = ["très faible", "faible", "moyenne", "bonne", "très bonne"];

/**
 * The strength of the password as it is typed, under its field: the server's estimate (the one the
 * form will apply), asked 400 ms after the last key. Without JavaScript nothing shows here and the
 * server's message comes with the refused form.
 */
export function PasswordMeter({ passwordId, emailId }: { passwordId: string; emailId?: string }) {
  const fetcher = useFetcher<Strength>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const submit = useRef(fetcher.submit);
  submit.current = fetcher.submit;
  useEffect(() => {
    const input = document.getElementById(passwordId) as HTMLInputElement | null;
    if (!input) return;
    const onInput = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const email = emailId ? ((document.getElementById(emailId) as HTMLInputElement | null)?.value ?? "") : "";
        submit.current({ password: input.value, email }, { method: "post", action: "/api/force-mot-de-passe" });
      }, 400);
    };
    input.addEventListener("input", onInput);
    return () => {
      input.removeEventListener("input", onInput);
      clearTimeout(timer.current);
    };
  }, [passwordId, emailId]);
  const result = fetcher.data;
  const score = result?.score ?? null;
  return (
    <div className="ps-password-meter fr-mb-3w" data-testid="password-meter">
      {score !== null ? (
        <div className={`ps-password-meter__bar ps-password-meter__bar--${score}`} aria-hidden="true">
          {[0, 1, 2, 3].map((i) => (
            <span key={i} className={i < score ? "ps-password-meter__on" : undefined} />
          ))}
        </div>
      ) : null}
      <p className="fr-text--sm fr-mb-0" aria-live="polite" id={`${passwordId}-strength`}>
        {score === null
          ? (result?.message ?? "")
          : result?.ok
            ? `Force du mot de passe : ${WORDS[score]} (${score} sur 4) — il convient.`
            : result?.message
              ? result.message
              : ""}
      </p>
    </div>
  );
}
