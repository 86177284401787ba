-- Up Migration

-- The day's report also sums sales per waiter (who took the order, on which tablet). An
-- item carries its order's `device_id` and `staff_name` (never updated), so with them in the
-- report index (0015) the per-waiter sums are read from the index alone too, instead of
-- visiting every order's items one by one.
CREATE INDEX order_items_report2_idx ON order_items (created_at)
  INCLUDE (table_id, menu_item_id, status, quantity, unit_price_cents, ready_at, device_id, staff_name);
DROP INDEX order_items_report_idx;
ALTER INDEX order_items_report2_idx RENAME TO order_items_report_idx;

-- Down Migration
CREATE INDEX order_items_report1_idx ON order_items (created_at)
  INCLUDE (table_id, menu_item_id, status, quantity, unit_price_cents, ready_at);
DROP INDEX order_items_report_idx;
ALTER INDEX order_items_report1_idx RENAME TO order_items_report_idx;
