import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '../app/context.js';

/** Table id → the number staff say out loud. */
export function useTableNumbers(): Map<string, string> {
  const { db } = useServices();
  return (
    useLiveQuery(async () => {
      const tables = await db.diningTables.toArray();
      return new Map(tables.map((t) => [t.id, String(t.number)]));
    }, [db]) ?? new Map<string, string>()
  );
}
