import { formatCents, type ModifierGroup } from '@chit/shared';
import './ModifierPicker.css';

// The menu sheet's group picker, shared with the Change dialog of a queued item.

function groupHint(group: ModifierGroup): string {
  if (group.minChoices === group.maxChoices) return `choose ${group.minChoices}`;
  if (group.minChoices === 0) return `optional, up to ${group.maxChoices}`;
  return `choose ${group.minChoices} to ${group.maxChoices}`;
}

/** One modifier group as radio buttons (exactly one) or checkboxes (up to its maximum). */
export function GroupPicker({
  group,
  chosen,
  onChange,
}: {
  group: ModifierGroup;
  chosen: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const single = group.minChoices === 1 && group.maxChoices === 1;
  const inGroup = group.options.filter((o) => chosen.includes(o.id)).length;
  const full = inGroup >= group.maxChoices;
  const others = chosen.filter((id) => !group.options.some((o) => o.id === id));
  const mine = chosen.filter((id) => group.options.some((o) => o.id === id));
  return (
    <fieldset className="sheet__group">
      <legend>
        {group.name} <span className="sheet__hint">({groupHint(group)})</span>
      </legend>
      <div className="sheet__options">
        {group.options.map((option) => {
          const checked = chosen.includes(option.id);
          return (
            <label key={option.id} className={`option${checked ? ' option--checked' : ''}`}>
              <input
                type={single ? 'radio' : 'checkbox'}
                name={group.id}
                checked={checked}
                disabled={!single && !checked && full}
                onChange={() => {
                  if (single) onChange([...others, option.id]);
                  else
                    onChange(checked ? [...others, ...mine.filter((id) => id !== option.id)] : [...chosen, option.id]);
                }}
              />
              <span>{option.name}</span>
              {option.priceDeltaCents !== 0 ? (
                <span className="option__price">
                  {option.priceDeltaCents > 0 ? '+' : '−'}
                  {formatCents(Math.abs(option.priceDeltaCents))}
                </span>
              ) : null}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
