import { emptyGroup, emptyOption, type GroupForm } from './itemForm.js';

/** One modifier group of the dish being edited; saved with the dish. */
function GroupEditor({
  group,
  legend,
  onChange,
  onRemove,
}: {
  group: GroupForm;
  legend: string;
  onChange: (group: GroupForm) => void;
  onRemove: () => void;
}) {
  const set = (patch: Partial<GroupForm>) => onChange({ ...group, ...patch });
  const setOption = (index: number, patch: Partial<GroupForm['options'][number]>) =>
    set({ options: group.options.map((o, i) => (i === index ? { ...o, ...patch } : o)) });
  return (
    <fieldset className="manage-group">
      <legend>{legend}</legend>
      <div className="manage-group__head">
        <label className="field">
          <span>Group name</span>
          <input value={group.name} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label className="field">
          <span>Minimum choices</span>
          <input type="number" min={0} value={group.minChoices} onChange={(e) => set({ minChoices: e.target.value })} />
        </label>
        <label className="field">
          <span>Maximum choices</span>
          <input type="number" min={1} value={group.maxChoices} onChange={(e) => set({ maxChoices: e.target.value })} />
        </label>
      </div>
      <ul className="manage-options">
        {group.options.map((option, index) => (
          <li key={option.id ?? `new-${index}`}>
            <label className="field">
              <span>Option {index + 1}</span>
              <input value={option.name} onChange={(e) => setOption(index, { name: e.target.value })} />
            </label>
            <label className="field">
              <span>Extra price for option {index + 1} (€)</span>
              <input
                value={option.price}
                inputMode="decimal"
                onChange={(e) => setOption(index, { price: e.target.value })}
              />
            </label>
            <label className="manage-options__default">
              <input
                type="checkbox"
                checked={option.isDefault}
                onChange={(e) =>
                  // One default in a pick-one group (size): choosing another moves it.
                  group.maxChoices === '1' && e.target.checked
                    ? set({ options: group.options.map((o, i) => ({ ...o, isDefault: i === index })) })
                    : setOption(index, { isDefault: e.target.checked })
                }
              />
              <span>Default</span>
              <span className="visually-hidden"> for option {index + 1}</span>
            </label>
            <button
              type="button"
              className="button button--ghost"
              aria-label={`Remove option ${index + 1}`}
              onClick={() => set({ options: group.options.filter((_, i) => i !== index) })}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      <div className="manage-actions">
        <button type="button" className="button" onClick={() => set({ options: [...group.options, emptyOption] })}>
          Add option
        </button>
        <button
          type="button"
          className="button button--danger-outline"
          onClick={onRemove}
          aria-label={`Remove group: ${legend}`}
        >
          Remove group
        </button>
      </div>
    </fieldset>
  );
}

/** The dish's modifier groups (sizes, extras), edited in place and saved with the dish in one request. */
export function ModifierGroupsField({
  groups,
  onChange,
}: {
  groups: GroupForm[];
  onChange: (groups: GroupForm[]) => void;
}) {
  return (
    <section className="manage-groups" aria-labelledby="groups-title">
      <h3 id="groups-title">Modifier groups</h3>
      {groups.length === 0 ? <p className="manage-muted">None: the dish is ordered as it is.</p> : null}
      {groups.map((group, index) => (
        <GroupEditor
          key={group.id ?? `new-${index}`}
          group={group}
          legend={group.id ? group.name || `Group ${index + 1}` : `New modifier group ${index + 1}`}
          onChange={(next) => onChange(groups.map((g, i) => (i === index ? next : g)))}
          onRemove={() => onChange(groups.filter((_, i) => i !== index))}
        />
      ))}
      <button type="button" className="button" onClick={() => onChange([...groups, emptyGroup])}>
        Add modifier group
      </button>
    </section>
  );
}
