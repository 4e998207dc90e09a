import { getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";

/** A DSFR textarea bound to a Conform field: label, hint, error message tied by aria-describedby. */
export function TextareaField({
  meta,
  label,
  hint,
  rows = 6,
  maxLength,
}: {
  meta: FieldMetadata<string>;
  label: ReactNode;
  hint?: ReactNode;
  rows?: number;
  maxLength?: number;
}) {
  const invalid = !!meta.errors?.length;
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const describedBy = [hintId, invalid ? meta.errorId : undefined].filter(Boolean).join(" ") || undefined;
  const { key, ...props } = getTextareaProps(meta, { ariaAttributes: false });
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
      <textarea
        key={key}
        {...props}
        // The server counts characters as people do; the browser's limit is only a guide.
        minLength={undefined}
        maxLength={maxLength}
        rows={rows}
        className={`fr-input${invalid ? " fr-input--error" : ""}`}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
      />
      {invalid ? (
        <p className="fr-error-text" id={meta.errorId}>
          {meta.errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A DSFR group of radio buttons bound to a Conform field. */
export function RadioGroup({
  meta,
  legend,
  hint,
  options,
  inline = false,
  defaultValue,
}: {
  meta: FieldMetadata<string>;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: ReactNode }[];
  inline?: boolean;
  defaultValue?: string;
}) {
  const invalid = !!meta.errors?.length;
  const legendId = `${meta.id}-legend`;
  const checked = typeof meta.initialValue === "string" ? meta.initialValue : defaultValue;
  return (
    <fieldset
      className={`fr-fieldset${invalid ? " fr-fieldset--error" : ""}`}
      id={meta.id}
      aria-labelledby={invalid ? `${legendId} ${meta.errorId}` : legendId}
    >
      <legend className="fr-fieldset__legend--regular fr-fieldset__legend" id={legendId}>
        {legend}
        {hint ? <span className="fr-hint-text">{hint}</span> : null}
      </legend>
      {options.map((option) => (
        <div key={option.value} className={`fr-fieldset__element${inline ? " fr-fieldset__element--inline" : ""}`}>
          <div className="fr-radio-group">
            <input
              type="radio"
              id={`${meta.id}-${option.value}`}
              name={meta.name}
              form={meta.formId}
              value={option.value}
              defaultChecked={checked === option.value}
              key={`${meta.key ?? ""}-${option.value}`}
            />
            <label className="fr-label" htmlFor={`${meta.id}-${option.value}`}>
              {option.label}
            </label>
          </div>
        </div>
      ))}
      {invalid ? (
        <div className="fr-messages-group" id={meta.errorId} aria-live="assertive">
          <p className="fr-message fr-message--error">{meta.errors!.join(" ")}</p>
        </div>
      ) : null}
    </fieldset>
  );
}
