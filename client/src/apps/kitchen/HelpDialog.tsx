import { Dialog } from '../../ui/Dialog.js';
import { shortcuts } from './keys.js';

export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard and bump bar" onClose={onClose}>
      <table className="khelp">
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Tap an item’s Bump to move just that item: queued ▸ cooking ▸ ready.</p>
    </Dialog>
  );
}
