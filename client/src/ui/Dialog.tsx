import { useEffect, useId, useRef, type ReactNode } from 'react';
import './Dialog.css';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons along the bottom. */
  actions?: ReactNode;
  wide?: boolean;
  role?: 'dialog' | 'alertdialog';
}

/**
 * A modal on the native <dialog>: focus is trapped and Escape closes it for free. Mount it
 * to open it; unmount it to close it.
 */
export function Dialog({ title, onClose, children, actions, wide, role = 'dialog' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
    else dialog.setAttribute('open', '');
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      role={role}
      aria-modal="true"
      aria-labelledby={titleId}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog__header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button button--ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      <div className="dialog__body">{children}</div>
      {actions ? <footer className="dialog__actions">{actions}</footer> : null}
    </dialog>
  );
}

/**
 * The usual buttons along a dialog's bottom: back out, then go ahead. The go-ahead submits
 * `form` (a form's id) when there is one, else calls `onConfirm`; `danger` when it throws
 * something away.
 */
export function DialogActions({
  cancelLabel = 'Cancel',
  onCancel,
  confirmLabel,
  onConfirm,
  form,
  disabled,
  tone = 'primary',
  large,
}: {
  cancelLabel?: string;
  onCancel: () => void;
  confirmLabel: string;
  onConfirm?: () => void;
  form?: string;
  disabled?: boolean | undefined;
  tone?: 'primary' | 'danger';
  large?: boolean;
}) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        {cancelLabel}
      </button>
      <button
        type={form === undefined ? 'button' : 'submit'}
        form={form}
        className={`button button--${tone}${large ? ' button--large' : ''}`}
        disabled={disabled}
        onClick={onConfirm}
      >
        {confirmLabel}
      </button>
    </>
  );
}
