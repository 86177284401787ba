import type { ReactNode } from 'react';
import { ErrorNote } from '../../ui/ErrorNote.js';

/**
 * One screen of the console: its heading, then why loading failed and why the last write
 * was refused (each shown only when there is one), then the screen.
 */
export function ManageSection({
  id,
  title,
  loadError,
  writeError,
  children,
}: {
  id: string;
  title: string;
  loadError: string | null;
  writeError: string | null;
  children: ReactNode;
}) {
  return (
    <section className="manage-section" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{title}</h1>
      <ErrorNote error={loadError} />
      <ErrorNote error={writeError} />
      {children}
    </section>
  );
}

/** One card of a screen: its heading (`<id>-title`, which names the card), then its content. */
export function ManageCard({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="manage-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** A row's Edit and Remove buttons; `what` names the row for screen readers ("Edit table 12"). */
export function EditRemoveActions({
  what,
  onEdit,
  onRemove,
}: {
  what: string;
  onEdit: () => void;
  onRemove: () => void;
}) {
  return (
    <div className="manage-actions">
      <button type="button" className="button" onClick={onEdit} aria-label={`Edit ${what}`}>
        Edit
      </button>
      <button type="button" className="button button--danger-outline" onClick={onRemove} aria-label={`Remove ${what}`}>
        Remove
      </button>
    </div>
  );
}
