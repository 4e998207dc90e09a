import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

type InputType = "text" | "email" | "password" | "search" | "hidden";

/** A DSFR input group bound to a Conform field: label, hint, error message tied by aria-describedby. */
export function InputField({
  meta,
  label,
  hint,
  type = "text",
  autoComplete,
  extra,
}: {
  meta: FieldMetadata<string>;
  label: ReactNode;
  hint?: ReactNode;
  type?: InputType;
  autoComplete?: string;
  extra?: Record<string, string | number | boolean | undefined>;
}) {
  const invalid = !!meta.errors?.length;
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const describedBy = [hintId, invalid ? meta.errorId : undefined].filter(Boolean).join(" ") || undefined;
  const { key, ...inputProps } = getInputProps(meta, { type, ariaAttributes: false });
  return (
    <div className={`fr-input-group${invalid ? " fr-input-group--error" : ""}`}>
      <label className="fr-label" htmlFor={meta.id}>
        {label}
        {hint ? (
          <span className="fr-hint-text" id={hintId}>
            {hint}
          </span>
        ) : null}
      </label>
      <input
        key={key}
        {...inputProps}
        {...extra}
        className={`fr-input${invalid ? " fr-input--error" : ""}`}
        autoComplete={autoComplete}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
      />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** Conform's input props minus `key`, which React wants written out, not spread into JSX. */
export function withoutKey<T extends { key?: unknown }>({ key: _key, ...props }: T): Omit<T, "key"> {
  return props;
}

export function FieldErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p className="fr-error-text" id={id}>
      {errors.join(" ")}
    </p>
  );
}

/** A form-level message (success, error or information), announced to screen readers. */
export function Notice({
  kind,
  title,
  children,
}: {
  kind: "error" | "success" | "info" | "warning";
  title?: string;
  children: ReactNode;
}) {
  return (
    <div className={`fr-alert fr-alert--${kind} fr-mb-3w`} role={kind === "error" ? "alert" : "status"}>
      {title ? <h2 className="fr-alert__title">{title}</h2> : null}
      <p>{children}</p>
    </div>
  );
}
