import type { ReactNode } from 'react';

export interface Column<T> {
  /** The column's heading; `null` for a column of buttons (named for screen readers only). */
  header: string | null;
  cell: (row: T) => ReactNode;
}

export interface DataTableProps<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** A class for a row that stands out (revoked, unwell); none by default. */
  rowClass?: (row: T) => string | undefined;
  /** Said instead of an empty table. */
  empty?: ReactNode;
}

/**
 * The console's tables: headed columns, the first cell of each row its header (what a
 * screen reader announces with every other cell), scrolling sideways on a phone rather
 * than squeezing.
 */
export function DataTable<T>({ columns, rows, rowKey, rowClass, empty }: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) return <p className="manage-muted">{empty}</p>;
  return (
    <div className="manage-table-wrap">
      <table className="manage-table">
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th scope="col" key={i}>
                {column.header ?? <span className="visually-hidden">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClass?.(row)}>
              {columns.map((column, i) =>
                i === 0 ? (
                  <th scope="row" key={i}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={i}>{column.cell(row)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
