import { limits, type AllergyInput, type MenuItem } from '@chit/shared';
import { useState } from 'react';

/** The allergens the menu's dishes name, to tick. */
export function menuAllergens(menuItems: Iterable<MenuItem>): string[] {
  return [...new Set([...menuItems].flatMap((item) => item.allergens))].sort();
}

/**
 * An allergy of the whole order (the cart) or of one dish (its sheet): the menu's allergens
 * to tick, and free text. Folded away behind one button, so an order without one costs no tap.
 */
export function AllergyFields({
  known,
  of,
  allergy,
  onChange,
}: {
  known: string[];
  /** What it is the allergy of, for the legend: "whole order", "this dish". */
  of: string;
  allergy: AllergyInput | null;
  onChange: (allergy: AllergyInput | null) => void;
}) {
  const [open, setOpen] = useState(allergy !== null);
  const chosen = allergy?.allergens ?? [];
  const note = allergy?.note ?? '';
  const set = (allergens: string[], text: string) =>
    onChange(allergens.length > 0 || text.trim() !== '' ? { allergens, note: text } : null);
  if (!open) {
    return (
      <button type="button" className="button cart__allergy-toggle" onClick={() => setOpen(true)}>
        <span aria-hidden="true">⚠ </span>Allergy…
      </button>
    );
  }
  return (
    <fieldset className="cart__allergy">
      <legend>
        <span aria-hidden="true">⚠ </span>Allergy ({of})
      </legend>
      <div className="cart__allergens">
        {known.map((name) => (
          <label key={name} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(name)}
              onChange={(e) => set(e.target.checked ? [...chosen, name] : chosen.filter((a) => a !== name), note)}
            />{' '}
            {name}
          </label>
        ))}
      </div>
      <label className="field">
        <span>Allergy note</span>
        <input value={note} maxLength={limits.maxAllergyNoteLength} onChange={(e) => set(chosen, e.target.value)} />
      </label>
    </fieldset>
  );
}
