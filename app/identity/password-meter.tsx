import { useEffect, useState } from "react";

type Strength = { score: number | null; ok: boolean; message: string | null; needed?: number };

const WORDS = ["très faible", "faible", "moyenne", "bonne", "très bonne"];

/**
 * The strength of the password as it is typed, under its field: the server's estimate (the one the
 * form will apply), asked 400 ms after the last key. Without JavaScript nothing shows here and the
 * server's message comes with the refused form.
 */
export function PasswordMeter({ passwordId, emailId }: { passwordId: string; emailId?: string }) {
  const [result, setResult] = useState<Strength | null>(null);
  useEffect(() => {
    const input = document.getElementById(passwordId) as HTMLInputElement | null;
    if (!input) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: AbortController | undefined;
    // A plain fetch, not a Remix fetcher: sending the form must not abort it into an error.
    const ask = async () => {
      pending?.abort();
      const controller = new AbortController();
      pending = controller;
      const email = emailId ? ((document.getElementById(emailId) as HTMLInputElement | null)?.value ?? "") : "";
      try {
        const response = await fetch("/api/force-mot-de-passe", {
          method: "POST",
          body: new URLSearchParams({ password: input.value, email }),
          signal: controller.signal,
        });
        if (response.ok || response.status === 429) setResult((await response.json()) as Strength);
      } catch {
        // Aborted by a newer key or by leaving the page: the next answer, or the form's, will do.
      }
    };
    const onInput = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void ask(), 400);
    };
    const stop = () => {
      clearTimeout(timer);
      pending?.abort();
    };
    input.addEventListener("input", onInput);
    input.form?.addEventListener("submit", stop);
    return () => {
      input.removeEventListener("input", onInput);
      input.form?.removeEventListener("submit", stop);
      stop();
    };
  }, [passwordId, emailId]);
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
