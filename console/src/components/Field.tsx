import { useId, type ReactNode } from 'react';

/** Errors from a 400/422 `details` list ("path: reason"), by path. */
export function errorsByPath(details: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of details) {
    const at = line.indexOf(': ');
    const path = at > 0 ? line.slice(0, at) : '';
    out.set(path, [...(out.get(path) ?? []), at > 0 ? line.slice(at + 2) : line]);
  }
  return out;
}

/**
 * A labelled control with its error (if any) right below it, tied to it with aria-describedby so a
 * screen reader reads the error with the field. `children` gets the ids to put on the control.
 */
export function Field(props: {
  label: string;
  hint?: string;
  errors?: string[];
  errorTestId?: string;
  children: (ids: { id: string; describedBy?: string; invalid?: boolean }) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const errors = props.errors ?? [];
  const describedBy = [props.hint ? hintId : '', errors.length ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid: errors.length ? true : undefined })}
      {props.hint ? (
        <small id={hintId} className="muted">
          {props.hint}
        </small>
      ) : null}
      {errors.length ? (
        <p id={errorId} className="field-error" data-testid={props.errorTestId ?? 'field-error'}>
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}
