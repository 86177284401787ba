/** `created_at` → `createdAt`, as a type. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** The `K` columns of a snake_case row under their camelCase names. */
export type Camel<Row, K extends keyof Row & string> = { [C in K as CamelCase<C>]: Row[C] };

const camelCase = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Maps a row to the wire shape of the same fields under camelCase names (`created_at` →
 * `createdAt`): one list of columns says what a row type's mapper copies, and the type says
 * whether that makes the wire type, so a field added to one but not the other is a type error.
 * Names are worked out once; a device is mapped on every request.
 */
export function rowMapper<const K extends string>(
  columns: readonly K[],
): <Row extends Record<K, unknown>>(row: Row) => Camel<Row, K> {
  const names = columns.map((column) => [column, camelCase(column)] as const);
  return <Row extends Record<K, unknown>>(row: Row) => {
    const mapped: Record<string, unknown> = {};
    for (const [column, name] of names) mapped[name] = row[column];
    return mapped as Camel<Row, K>;
  };
}
