/** A place orders are listed: a table, or a takeaway or delivery order (the same order cards). */
export type Place = number | string;

/** `text` as a literal inside a RegExp. */
export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What the kitchen board calls a place: "Table 12", or the label of a takeaway or delivery order as is. */
export function labelOf(place: Place): string {
  return typeof place === 'number' ? `Table ${place}` : place;
}
