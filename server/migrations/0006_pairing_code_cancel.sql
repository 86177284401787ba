-- Up Migration

-- Pairing codes get an id the manager's console can name them by (the code itself is
-- stored only as a hash), and can be cancelled: by a manager, or because the device that
-- made them was revoked. A cancelled code pairs nothing.
ALTER TABLE pairing_codes
  ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN cancelled_at timestamptz,
  ADD COLUMN cancelled_by_device_id uuid REFERENCES devices (id) ON DELETE SET NULL,
  ADD COLUMN cancelled_by_staff_name text;
ALTER TABLE pairing_codes ADD CONSTRAINT pairing_codes_id_key UNIQUE (id);

-- The console's list: codes still open, newest first.
CREATE INDEX pairing_codes_open ON pairing_codes (created_at) WHERE used_at IS NULL AND cancelled_at IS NULL;

-- Down Migration
DROP INDEX pairing_codes_open;
ALTER TABLE pairing_codes
  DROP CONSTRAINT pairing_codes_id_key,
  DROP COLUMN cancelled_by_staff_name,
  DROP COLUMN cancelled_by_device_id,
  DROP COLUMN cancelled_at,
  DROP COLUMN id;
