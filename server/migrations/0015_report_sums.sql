-- Up Migration

-- A day's report sums that day's items (per table, per dish, in total). With the columns it
-- sums carried in the index, PostgreSQL reads them from the index alone (an index-only
-- scan) instead of visiting every item's row: a busy day is ~20,000 items. It replaces the
-- plain index on created_at from 0003, which it serves as well.
CREATE INDEX order_items_report_idx ON order_items (created_at)
  INCLUDE (table_id, menu_item_id, status, quantity, unit_price_cents, ready_at);
DROP INDEX order_items_created_idx;

-- An index-only scan is only index-only on pages the visibility map marks all-visible, and
-- only VACUUM marks them. By default autovacuum waits for inserts or changes of 20 % of a
-- table: after a year, 1.2 million items, so a whole day's pages are never vacuumed during
-- that day. Vacuum these append-mostly tables after a fixed number of rows instead (a
-- vacuum skips the pages already all-visible, so each pass costs what changed since the last).
ALTER TABLE order_items SET (
  autovacuum_vacuum_insert_scale_factor = 0,
  autovacuum_vacuum_insert_threshold = 5000,
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 10000
);
ALTER TABLE orders SET (
  autovacuum_vacuum_insert_scale_factor = 0,
  autovacuum_vacuum_insert_threshold = 5000
);

-- Down Migration
ALTER TABLE orders RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold);
ALTER TABLE order_items RESET (
  autovacuum_vacuum_insert_scale_factor,
  autovacuum_vacuum_insert_threshold,
  autovacuum_vacuum_scale_factor,
  autovacuum_vacuum_threshold
);
CREATE INDEX order_items_created_idx ON order_items (created_at);
DROP INDEX order_items_report_idx;
