-- Up Migration

-- Whether each device's browser has marked its storage persistent (header
-- `Chit-Storage-Persisted` on its requests), for the manager's device health: a browser may
-- clear storage that is not, outbox and all, when the device runs short of space. Null until
-- the device has said (apps before this column never do). Written like `app_version`: by the
-- statement that admits each write, and on a read only when it differs from what is stored.
ALTER TABLE devices ADD COLUMN storage_persisted boolean;

-- Down Migration

ALTER TABLE devices DROP COLUMN storage_persisted;
