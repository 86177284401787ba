-- Up Migration

-- An option the waiter's dish sheet starts with chosen (size: medium), so the usual order
-- is one tap. Only a starting point: the order still carries the options actually chosen.
ALTER TABLE modifier_options ADD COLUMN is_default boolean NOT NULL DEFAULT false;

-- Down Migration

ALTER TABLE modifier_options DROP COLUMN is_default;
