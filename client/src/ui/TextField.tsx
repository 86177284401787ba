import { useId, type InputHTMLAttributes } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/**
 * A labelled text box (`.field`), with its error under it when there is one: the input is
 * then marked invalid and described by the error, so a screen reader says why.
 */
export function TextField({
  label,
  value,
  onChange,
  error,
  ...input
}: InputProps & { label: string; value: string; onChange: (value: string) => void; error?: string | undefined }) {
  const errorId = useId();
  return (
    <label className="field">
      <span>{label}</span>
      <input
        {...input}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {error ? (
        <span className="form-error" id={errorId}>
          {error}
        </span>
      ) : null}
    </label>
  );
}
