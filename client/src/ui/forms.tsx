/*
 * The small pieces of forms: a text field, the error note, the confirm dialog. One module,
 * so the lazy screens that use them share one chunk (the entry's preload list names each).
 */
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { Dialog, DialogActions } from './Dialog.js';

/** The server's reason for refusing, or why it could not be reached, where the action was. */
export function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}

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

/** Are you sure? A destructive action, asked once more in an alert dialog. */

export function Confirm({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  onClose,
  busy,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** What backing out is called ("Keep it" when the action throws something away). */
  cancelLabel?: string;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
}) {
  return (
    <Dialog
      title={title}
      role="alertdialog"
      onClose={onClose}
      actions={
        <DialogActions
          cancelLabel={cancelLabel}
          onCancel={onClose}
          confirmLabel={confirmLabel}
          tone="danger"
          onConfirm={onConfirm}
          disabled={busy}
        />
      }
    >
      {children}
    </Dialog>
  );
}
