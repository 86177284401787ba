import { useMenu } from '../../db/hooks.js';
import { useServices } from '../../ui/context.js';
import { Dialog } from '../../ui/Dialog.js';
import './EightySixDialog.css';

export function EightySixDialog({ station, onClose }: { station: string | null; onClose: () => void }) {
  const { db, engine } = useServices();
  const menu = useMenu(db);
  const dishes = (menu?.items ?? []).filter((d) => station === null || d.station === station);
  return (
    <Dialog title="86 a dish" onClose={onClose} wide>
      <p>An 86’d dish cannot be ordered on any tablet until it is back.</p>
      <ul className="k86">
        {dishes.map((dish) => (
          <li key={dish.id} className={dish.available ? 'k86__dish' : 'k86__dish k86__dish--off'}>
            <span>
              {dish.name} <small>({dish.station})</small>
              {dish.available ? null : <strong> · 86’d</strong>}
            </span>
            <button
              type="button"
              className={dish.available ? 'button button--danger-outline' : 'button button--primary'}
              onClick={() => void engine.setAvailability(dish.id, !dish.available)}
            >
              {dish.available ? `86 ${dish.name}` : `Back on: ${dish.name}`}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
