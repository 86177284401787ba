-- Up Migration

-- What each device last said about its outbox (headers `Chit-Outbox-Length` and
-- `Chit-Outbox-Oldest-Age` on its requests), for the manager's device list and the
-- metrics: how many writes it still holds and since when the oldest one has waited.
-- Written by the statement that already admits each write and, on reads, at most once a
-- minute (or when the outbox turns empty or not), so no request gains a write of its own.
ALTER TABLE devices
  ADD COLUMN outbox_length integer CHECK (outbox_length >= 0),
  -- Server time minus the age the device reported; null when its outbox was empty.
  ADD COLUMN outbox_oldest_at timestamptz,
  ADD COLUMN outbox_reported_at timestamptz;

-- Down Migration

ALTER TABLE devices
  DROP COLUMN outbox_length,
  DROP COLUMN outbox_oldest_at,
  DROP COLUMN outbox_reported_at;
