import { z } from 'zod';
import { Text } from './text.js';
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

const Area = Text.trim().min(1).max(limits.maxNameLength).nullable();
const StaffName = Text.trim().max(limits.maxStaffNameLength);

const tableFields = {
  number: z.number().int().min(1).max(100_000),
  /** Defaults to "Table <number>". */
  label: Text.trim().min(1).max(limits.maxNameLength),
  /** The area the table belongs to ("Inside", "Terrace"); null for none. */
  area: Area,
  staffName: StaffName,
};

export const TableInput = z.object({
  ...tableFields,
  label: tableFields.label.optional(),
  area: Area.default(null),
  staffName: StaffName.default(''),
});
export type TableInput = z.input<typeof TableInput>;

/** Without the defaults: a patch that does not mention a field leaves it as it is. */
export const TablePatch = z
  .object(tableFields)
  .partial()
  .strict()
  .refine((p) => p.number !== undefined || p.label !== undefined || p.area !== undefined, {
    message: 'Change at least one of number, label or area.',
  });
export type TablePatch = z.input<typeof TablePatch>;

export const TableResponse = z.object({ table: Table });
export type TableResponse = z.infer<typeof TableResponse>;
