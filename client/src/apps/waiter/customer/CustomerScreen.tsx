import { DeliveryOrderRequest, TakeawayOrderRequest, type Customer } from '@chit/shared';
import { useState, type FormEvent } from 'react';
import { Redirect, useLocation } from 'wouter';
import { useServices } from '../../../ui/context.js';
import { useDraft } from '../../../db/hooks.js';
import type { DraftRow } from '../../../db/schema.js';
import { Confirm, TextField } from '../../../ui/forms.js';
import './CustomerScreen.css';
import { BackToTables } from '../BackToTables.js';

type Field = keyof Customer;
type Errors = Partial<Record<Field, string>>;

/**
 * The customer as the shared contract will check it on Send, so a mistake shows here, by
 * its field, rather than as a refusal later.
 */
export function checkCustomer(
  type: DraftRow['type'],
  fields: Record<Field, string>,
): { ok: true; customer: Customer } | { ok: false; errors: Errors } {
  const parsed =
    type === 'delivery'
      ? DeliveryOrderRequest.shape.customer.safeParse(fields)
      : TakeawayOrderRequest.shape.customer.safeParse({ name: fields.name });
  if (parsed.success) return { ok: true, customer: { address: null, phone: null, ...parsed.data } };
  const errors: Errors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as Field;
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The customer's fields: a takeaway asks for the name only, a delivery for all three. */
const customerFields: { field: Field; label: string; autoComplete: string; inputMode?: 'tel' }[] = [
  { field: 'name', label: 'Customer name', autoComplete: 'name' },
  { field: 'address', label: 'Delivery address', autoComplete: 'street-address' },
  { field: 'phone', label: 'Phone', autoComplete: 'tel', inputMode: 'tel' },
];

/** Who a takeaway or delivery order is for, before its dishes; with `draftId`, changing it. */
export function CustomerScreen({ draftId }: { draftId?: string }) {
  const { db } = useServices();
  const draft = useDraft(db, draftId ?? '');
  if (draftId && draft === undefined) return <main className="screen" aria-busy="true" />;
  // Sent (or discarded) meanwhile: the order is all there is.
  if (draftId && draft === null) return <Redirect to={`/orders/${draftId}`} replace />;
  // Keyed, so the form starts from the draft once it is loaded.
  return <CustomerForm key={draft?.id ?? 'new'} draft={draft ?? null} />;
}

function CustomerForm({ draft }: { draft: DraftRow | null }) {
  const { engine } = useServices();
  const [, navigate] = useLocation();
  const [type, setType] = useState<DraftRow['type']>(draft?.type ?? 'takeaway');
  const [fields, setFields] = useState<Record<Field, string>>({
    name: draft?.customer.name ?? '',
    address: draft?.customer.address ?? '',
    phone: draft?.customer.phone ?? '',
  });
  const [errors, setErrors] = useState<Errors>({});
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const set = (field: Field) => (value: string) => setFields((f) => ({ ...f, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkCustomer(type, fields);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    const id = await engine.saveDraft({ ...(draft ? { id: draft.id } : {}), type, customer: checked.customer });
    navigate(`/orders/${id}/menu`, { replace: true });
  };

  const discard = async () => {
    if (!draft) return;
    await engine.discardDraft(draft.id);
    navigate('/', { replace: true });
  };

  return (
    <main className="screen customer">
      <form
        className="customer__card form-card"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="customer-title"
        noValidate
      >
        <BackToTables />
        <h1 id="customer-title">{draft ? 'Who is it for?' : 'New takeaway or delivery'}</h1>
        <fieldset className="customer__type">
          <legend>Order type</legend>
          {(['takeaway', 'delivery'] as const).map((value) => (
            <label key={value} className="customer__choice">
              <input type="radio" name="type" checked={type === value} onChange={() => setType(value)} />
              {value === 'takeaway' ? 'Takeaway' : 'Delivery'}
            </label>
          ))}
        </fieldset>
        {(type === 'delivery' ? customerFields : customerFields.slice(0, 1)).map(({ field, ...props }) => (
          <TextField
            key={field}
            name={field}
            {...props}
            value={fields[field]}
            error={errors[field]}
            onChange={set(field)}
          />
        ))}
        <div className="customer__actions">
          {draft ? (
            <button type="button" className="button button--danger-outline" onClick={() => setConfirmDiscard(true)}>
              Discard this order
            </button>
          ) : null}
          <button type="submit" className="button button--primary button--large">
            Choose dishes
          </button>
        </div>
      </form>
      {confirmDiscard ? (
        <Confirm
          title="Discard this order?"
          confirmLabel="Discard"
          cancelLabel="Keep it"
          onConfirm={() => void discard()}
          onClose={() => setConfirmDiscard(false)}
        >
          <p>It was never sent: its dishes leave this tablet and the kitchen never hears of it.</p>
        </Confirm>
      ) : null}
    </main>
  );
}
