import {
  checkModifierChoices,
  formatCents,
  limits,
  unitPriceCents,
  type AllergyInput,
  type MenuItem,
} from '@chit/shared';
import { useState } from 'react';
import { Dialog, DialogActions } from '../../../ui/Dialog.js';
import { GroupPicker } from '../../../ui/ModifierPicker.js';
import { QuantityStepper } from '../../../ui/QuantityStepper.js';
import type { CartChoice } from '../../../domain/cart.js';
import { AllergyFields } from './AllergyFields.js';

/**
 * The options the manager marked default (size: medium), at most as many per group as the
 * group allows, so the usual order is Add straight away.
 */
export function defaultChoices(item: MenuItem): string[] {
  return item.modifierGroups.flatMap((group) =>
    group.options
      .filter((o) => o.isDefault === true)
      .slice(0, group.maxChoices)
      .map((o) => o.id),
  );
}

/**
 * Choosing a dish: the modifier rules come from the shared `checkModifierChoices`, the
 * same check the server applies, so Add is only possible for an order the server accepts.
 */
export function ItemSheet({
  item,
  focusNote = false,
  knownAllergens = item.allergens,
  onAdd,
  onClose,
}: {
  item: MenuItem;
  /** The allergens to offer for this dish's allergy: the menu's (this dish's by default). */
  knownAllergens?: string[];
  /** The waiter opened the sheet to write a note: the note field takes the focus. */
  focusNote?: boolean;
  onAdd: (choice: CartChoice) => void;
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState<string[]>(() => defaultChoices(item));
  const [quantity, setQuantity] = useState(1);
  const [note, setNote] = useState('');
  const [allergy, setAllergy] = useState<AllergyInput | null>(null);
  const problems = checkModifierChoices(item, chosen);
  const unit = unitPriceCents(item, chosen);
  const canAdd = problems.length === 0 && item.available;

  return (
    <Dialog
      title={item.name}
      onClose={onClose}
      actions={
        <DialogActions
          onCancel={onClose}
          confirmLabel={`Add ${quantity} · ${formatCents(unit * quantity)}`}
          large
          disabled={!canAdd}
          onConfirm={() =>
            onAdd({ menuItemId: item.id, modifierOptionIds: chosen, quantity, note, ...(allergy ? { allergy } : {}) })
          }
        />
      }
    >
      {item.description ? <p className="sheet__description">{item.description}</p> : null}
      {item.allergens.length > 0 ? <p className="sheet__allergens">Allergens: {item.allergens.join(', ')}</p> : null}
      {item.modifierGroups.map((group) => (
        <GroupPicker key={group.id} group={group} chosen={chosen} onChange={setChosen} />
      ))}
      <div className="sheet__row">
        <QuantityStepper value={quantity} onChange={setQuantity} />
        <label className="field sheet__note">
          <span>Note for the kitchen</span>
          <input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={limits.maxNoteLength}
            // The `autofocus` attribute, not React's autoFocus: the dialog's showModal() runs after this
            // mounts and moves the focus to the element carrying the attribute. Only when asked for (✎):
            // on a phone an unasked-for focus opens the keyboard over the options.
            ref={(input) => {
              if (focusNote) input?.setAttribute('autofocus', '');
            }}
          />
        </label>
      </div>
      <AllergyFields known={knownAllergens} of="this dish" allergy={allergy} onChange={setAllergy} />
      <p className="sheet__status" role="status">
        {!item.available
          ? `${item.name} is unavailable right now.`
          : (problems[0]?.message ?? `${formatCents(unit)} each`)}
      </p>
    </Dialog>
  );
}
