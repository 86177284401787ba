import { limits } from '@chit/shared';
import { useId } from 'react';

/** "Quantity  − 2 +", clamped to 1…limits.maxQuantity: the dish sheet and the change dialog. */
export function QuantityStepper({ value, onChange }: { value: number; onChange: (quantity: number) => void }) {
  const labelId = useId();
  return (
    <div className="field">
      <span id={labelId}>Quantity</span>
      <div className="stepper" role="group" aria-labelledby={labelId}>
        <button
          type="button"
          className="button"
          aria-label="One less"
          disabled={value <= 1}
          onClick={() => onChange(Math.max(1, value - 1))}
        >
          −
        </button>
        <span className="stepper__value" aria-live="polite">
          {value}
        </span>
        <button
          type="button"
          className="button"
          aria-label="One more"
          disabled={value >= limits.maxQuantity}
          onClick={() => onChange(Math.min(limits.maxQuantity, value + 1))}
        >
          +
        </button>
      </div>
    </div>
  );
}
