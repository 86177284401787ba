-- Up Migration

-- Allergies the waiter flags, on an order (the party) and on its lines: `{"allergens":
-- ["peanuts"], "note": "severe"}` as the shared `Allergy` schema has it; null when none.
-- What was ordered, so never updated (CONVENTIONS.md), like the note beside it.
ALTER TABLE orders ADD COLUMN allergy jsonb;
ALTER TABLE order_items ADD COLUMN allergy jsonb;

-- The kitchen's acknowledgement of an order's allergies, once, before its first bump: when,
-- which device (its id and name then) and who (`AllergyAck`). Null until acknowledged.
ALTER TABLE orders
  ADD COLUMN allergy_ack_at timestamptz,
  ADD COLUMN allergy_ack_device_id uuid REFERENCES devices (id) ON DELETE RESTRICT,
  ADD COLUMN allergy_ack jsonb;

-- Down Migration

ALTER TABLE orders DROP COLUMN allergy_ack, DROP COLUMN allergy_ack_device_id, DROP COLUMN allergy_ack_at;
ALTER TABLE order_items DROP COLUMN allergy;
ALTER TABLE orders DROP COLUMN allergy;
