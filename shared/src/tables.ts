import { z } from 'zod';
import { Text, Timestamp } from './text.js';
import { editRequests, StaffName } from './fields.js';
import { limits } from './http.js';

export const Table = z.object({
  id: z.uuid(),
  /** The number staff say out loud ("table 12"); unique. */
  number: z.number().int().positive(),
  label: z.string(),
  area: z.string().nullable(),
});
export type Table = z.infer<typeof Table>;

export const TablesResponse = z.object({ tables: z.array(Table) });
export type TablesResponse = z.infer<typeof TablesResponse>;

const Label = Text.trim().min(1).max(limits.maxNameLength);
const Area = Label.nullable();

/** Without the defaults, a patch that does not mention a field leaves it as it is. */
export const { input: TableInput, patch: TablePatch } = editRequests(
  {
    number: z.number().int().min(1).max(100_000),
    /** Defaults to "Table <number>". */
    label: Label,
    /** The area the table belongs to ("Inside", "Terrace"); null for none. */
    area: Area,
    staffName: StaffName,
  },
  { label: Label.optional(), area: Area.default(null) },
  'Change at least one of number, label or area.',
);
export type TableInput = z.input<typeof TableInput>;
export type TablePatch = z.input<typeof TablePatch>;

export const TableResponse = z.object({ table: Table });
export type TableResponse = z.infer<typeof TableResponse>;

/**
 * `POST /api/tables/:tableId/clear`: the party left. From now on the table's items
 * (`GET /api/tables/:tableId/items`) are only those not yet served and those served after
 * this; older ones stay reachable per order and in the reports.
 */
export const ClearTableRequest = z.object({ staffName: StaffName.optional() }).strict();
export type ClearTableRequest = z.input<typeof ClearTableRequest>;

export const TableCleared = z.object({
  tableId: z.uuid(),
  /** Items served at or before this left the table's list. */
  clearedAt: Timestamp,
});
export type TableCleared = z.infer<typeof TableCleared>;

export const ClearTableResponse = z.object({ cleared: TableCleared });
export type ClearTableResponse = z.infer<typeof ClearTableResponse>;
