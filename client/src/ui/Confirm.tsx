import { Dialog } from './Dialog.js';

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
  children: React.ReactNode;
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
        <>
          <button type="button" className="button" onClick={onClose}>
            {cancelLabel}
          </button>
          <button type="button" className="button button--danger" onClick={onConfirm} disabled={busy}>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
