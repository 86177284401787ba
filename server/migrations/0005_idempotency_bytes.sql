-- Up Migration

-- A stored answer is replayed byte for byte: the body as it was sent (not re-serialised
-- from jsonb, which reorders keys) and its Content-Type. Refusals are stored too now
-- (src/http/idempotency.ts), so the answer of a key is any final status, 2xx or 4xx.
-- Keys stored before this migration keep jsonb's text of their body.
ALTER TABLE idempotency_keys
  ALTER COLUMN response_body TYPE bytea USING convert_to(response_body::text, 'UTF8'),
  ADD COLUMN response_type text;

-- Down Migration

ALTER TABLE idempotency_keys
  DROP COLUMN response_type,
  ALTER COLUMN response_body TYPE jsonb USING convert_from(response_body, 'UTF8')::jsonb;
