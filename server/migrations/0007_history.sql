-- Up Migration

-- When each table was last cleared (its party left). A table's items are its current
-- party's: those not yet served, and those served since this moment. A row of its own,
-- not a column of dining_tables: every change to dining_tables moves the catalog version
-- (0004), and a clear after every party must not invalidate every instance's order check.
-- A table without a row was never cleared.
CREATE TABLE table_clears (
  table_id uuid PRIMARY KEY REFERENCES dining_tables (id) ON DELETE CASCADE,
  cleared_at timestamptz NOT NULL,
  -- Null for the clear this migration records.
  cleared_by_device_id uuid REFERENCES devices (id) ON DELETE RESTRICT,
  cleared_by_staff_name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Tables in use before this migration count as cleared now: their served history is not
-- anybody's current party (a party seated right now sees its served items go, not its open ones).
INSERT INTO table_clears (table_id, cleared_at) SELECT id, now() FROM dining_tables;

-- A table's open items, and its items served since a moment: both bounded by the party at
-- the table, not by the table's history. The open-items index of 0001 is by time only.
CREATE INDEX order_items_table_open_idx ON order_items (table_id) WHERE status IN ('queued', 'cooking', 'ready');
CREATE INDEX order_items_table_served_idx ON order_items (table_id, served_at) WHERE status = 'served';

-- Down Migration
DROP INDEX order_items_table_served_idx;
DROP INDEX order_items_table_open_idx;
DROP TABLE table_clears;
