-- Up Migration

-- Devices are tablets, kitchen screens and manager consoles. Tokens are stored only as
-- SHA-256 hashes: a token is 256 random bits, so a fast hash is enough.
CREATE TABLE devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('waiter', 'kitchen', 'manager')),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE pairing_codes (
  code_hash bytea PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('waiter', 'kitchen', 'manager')),
  created_by uuid REFERENCES devices (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by uuid REFERENCES devices (id) ON DELETE SET NULL
);

CREATE TABLE categories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE menu_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  category_id uuid NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  prep_minutes integer CHECK (prep_minutes > 0),
  station text NOT NULL,
  available boolean NOT NULL DEFAULT true,
  allergens text[] NOT NULL DEFAULT '{}',
  sort integer NOT NULL DEFAULT 0,
  -- Items that have been ordered are never deleted (order_items point at them); they are archived.
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX menu_items_category_idx ON menu_items (category_id);

CREATE TABLE modifier_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  menu_item_id uuid NOT NULL REFERENCES menu_items (id) ON DELETE CASCADE,
  name text NOT NULL,
  min_choices integer NOT NULL CHECK (min_choices >= 0),
  max_choices integer NOT NULL CHECK (max_choices >= 1 AND max_choices >= min_choices),
  sort integer NOT NULL DEFAULT 0
);
CREATE INDEX modifier_groups_item_idx ON modifier_groups (menu_item_id);

CREATE TABLE modifier_options (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  group_id uuid NOT NULL REFERENCES modifier_groups (id) ON DELETE CASCADE,
  name text NOT NULL,
  price_delta_cents integer NOT NULL DEFAULT 0,
  sort integer NOT NULL DEFAULT 0
);
CREATE INDEX modifier_options_group_idx ON modifier_options (group_id);

-- "tables" is a keyword in too many tools; the restaurant's tables are dining_tables.
CREATE TABLE dining_tables (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number integer NOT NULL UNIQUE CHECK (number > 0),
  label text NOT NULL,
  area text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Order and item ids are made by the tablet (UUIDs), so an offline tablet can refer to
-- an item before the server has seen it.
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  table_id uuid NOT NULL REFERENCES dining_tables (id) ON DELETE RESTRICT,
  note text NOT NULL DEFAULT '',
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE RESTRICT,
  staff_name text NOT NULL DEFAULT '',
  device_time timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_table_idx ON orders (table_id, created_at);

CREATE TABLE order_items (
  id uuid PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
  -- 1-based position of the item in its order, so tickets list items as the waiter entered them.
  line integer NOT NULL DEFAULT 1,
  -- Copied from the order so a table's items are one index scan away.
  table_id uuid NOT NULL REFERENCES dining_tables (id) ON DELETE RESTRICT,
  menu_item_id uuid NOT NULL REFERENCES menu_items (id) ON DELETE RESTRICT,
  -- Name, station and price as they were when ordered: a later menu edit must not rewrite a bill.
  name text NOT NULL,
  station text NOT NULL,
  unit_price_cents integer NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  modifiers jsonb NOT NULL DEFAULT '[]',
  note text NOT NULL DEFAULT '',
  cook_minutes integer NOT NULL CHECK (cook_minutes > 0),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'cooking', 'ready', 'served', 'voided')),
  version integer NOT NULL DEFAULT 1,
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE RESTRICT,
  staff_name text NOT NULL DEFAULT '',
  device_time timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  cooking_at timestamptz,
  ready_at timestamptz,
  served_at timestamptz,
  voided_at timestamptz,
  void_reason text,
  updated_by_device_id uuid NOT NULL REFERENCES devices (id) ON DELETE RESTRICT,
  updated_by_staff_name text NOT NULL DEFAULT ''
);
CREATE INDEX order_items_table_idx ON order_items (table_id, created_at);
CREATE INDEX order_items_order_idx ON order_items (order_id);
CREATE INDEX order_items_open_idx ON order_items (created_at) WHERE status IN ('queued', 'cooking', 'ready');

-- One row per (device, Idempotency-Key). It is inserted first in the transaction that
-- makes the change and completed in that same transaction, so a committed change always
-- has its key and a rolled-back one never does.
CREATE TABLE idempotency_keys (
  device_id uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  key text NOT NULL,
  request_hash bytea NOT NULL,
  response_status integer,
  response_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- The change log that feeds the live stream. Rows are appended in the transaction that
-- makes the change. `id` order is allocation order, not commit order, so the stream
-- does not use it: `position` is given later, in commit-safe order (see events/).
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  position bigint UNIQUE,
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  type text NOT NULL,
  table_id uuid,
  order_id uuid,
  item_id uuid,
  station text,
  device_id uuid,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_unpositioned_idx ON events (tx_id, id) WHERE position IS NULL;

-- Down Migration
DROP TABLE events;
DROP TABLE idempotency_keys;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE dining_tables;
DROP TABLE modifier_options;
DROP TABLE modifier_groups;
DROP TABLE menu_items;
DROP TABLE categories;
DROP TABLE pairing_codes;
DROP TABLE devices;
