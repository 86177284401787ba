-- Up Migration

-- Order types. Dine-in orders belong to a table; takeaway and delivery orders have none,
-- and carry the customer instead. The CHECK is the one place the per-type rules live in
-- the database; the API refuses the same cases earlier with clearer messages.
ALTER TABLE orders
  ADD COLUMN type text NOT NULL DEFAULT 'dine_in' CHECK (type IN ('dine_in', 'takeaway', 'delivery')),
  ADD COLUMN customer_name text,
  ADD COLUMN customer_address text,
  ADD COLUMN customer_phone text,
  ALTER COLUMN table_id DROP NOT NULL,
  ADD CONSTRAINT orders_type_fields_check CHECK (
    CASE type
      WHEN 'dine_in' THEN table_id IS NOT NULL AND customer_name IS NULL
      WHEN 'takeaway' THEN table_id IS NULL AND customer_name IS NOT NULL
      WHEN 'delivery' THEN table_id IS NULL AND customer_name IS NOT NULL
        AND customer_address IS NOT NULL AND customer_phone IS NOT NULL
    END
  );
CREATE INDEX orders_created_idx ON orders (created_at);

-- Items copy their order's table (null for takeaway and delivery); the code that creates
-- them is the only writer of this column and never updates it.
ALTER TABLE order_items ALTER COLUMN table_id DROP NOT NULL;
CREATE INDEX order_items_created_idx ON order_items (created_at);
CREATE INDEX order_items_voided_idx ON order_items (voided_at) WHERE voided_at IS NOT NULL;

-- Who changed the menu and the tables last; the event log keeps the history.
ALTER TABLE categories
  ADD COLUMN archived_at timestamptz,
  ADD COLUMN updated_by_device_id uuid REFERENCES devices (id) ON DELETE RESTRICT,
  ADD COLUMN updated_by_staff_name text NOT NULL DEFAULT '';
ALTER TABLE menu_items
  ADD COLUMN updated_by_device_id uuid REFERENCES devices (id) ON DELETE RESTRICT,
  ADD COLUMN updated_by_staff_name text NOT NULL DEFAULT '';

-- Tables that had orders are archived when removed, never deleted (orders point at them).
-- Their number is free again for a new table, so uniqueness only holds among live tables.
ALTER TABLE dining_tables
  ADD COLUMN archived_at timestamptz,
  ADD COLUMN updated_by_device_id uuid REFERENCES devices (id) ON DELETE RESTRICT,
  ADD COLUMN updated_by_staff_name text NOT NULL DEFAULT '',
  DROP CONSTRAINT dining_tables_number_key;
CREATE UNIQUE INDEX dining_tables_live_number_key ON dining_tables (number) WHERE archived_at IS NULL;

-- What the manager's device list shows besides last-seen, and who revoked a device.
ALTER TABLE devices
  ADD COLUMN app_version text,
  ADD COLUMN writes_received bigint NOT NULL DEFAULT 0,
  ADD COLUMN revoked_by_device_id uuid REFERENCES devices (id) ON DELETE RESTRICT,
  ADD COLUMN revoked_by_staff_name text;

-- Token buckets for rate limits, shared by every instance behind the load balancer. One
-- row per limited key (e.g. 'write:<device id>', 'pair:<ip>'); `tokens` is what was left
-- at `updated_at`, and refills continuously from there.
CREATE TABLE rate_limit_buckets (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Whether the last request took a token; lets one upsert both decide and report.
  allowed boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_limit_buckets_updated_idx ON rate_limit_buckets (updated_at);

-- Down Migration
DROP TABLE rate_limit_buckets;
ALTER TABLE devices
  DROP COLUMN revoked_by_staff_name,
  DROP COLUMN revoked_by_device_id,
  DROP COLUMN writes_received,
  DROP COLUMN app_version;
DROP INDEX dining_tables_live_number_key;
ALTER TABLE dining_tables
  ADD CONSTRAINT dining_tables_number_key UNIQUE (number),
  DROP COLUMN updated_by_staff_name,
  DROP COLUMN updated_by_device_id,
  DROP COLUMN archived_at;
ALTER TABLE menu_items DROP COLUMN updated_by_staff_name, DROP COLUMN updated_by_device_id;
ALTER TABLE categories DROP COLUMN updated_by_staff_name, DROP COLUMN updated_by_device_id, DROP COLUMN archived_at;
DROP INDEX order_items_voided_idx;
DROP INDEX order_items_created_idx;
ALTER TABLE order_items ALTER COLUMN table_id SET NOT NULL;
DROP INDEX orders_created_idx;
ALTER TABLE orders
  DROP CONSTRAINT orders_type_fields_check,
  ALTER COLUMN table_id SET NOT NULL,
  DROP COLUMN customer_phone,
  DROP COLUMN customer_address,
  DROP COLUMN customer_name,
  DROP COLUMN type;
