import { z } from 'zod';

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
