-- Up Migration

-- The short number a ticket is called by ("#42"): counted per business day (the day starts
-- at BUSINESS_DAY_START in TIMEZONE, so a ticket at 01:30 belongs to the evening before).
-- One row per business day, incremented in the statement that stores the order: the row
-- lock makes the count exact across instances and gap-free (a rolled-back order gives its
-- number back), at the price of orders committing one at a time (docs/decisions.md).
CREATE TABLE ticket_counters (
  business_day date PRIMARY KEY,
  last_number integer NOT NULL CHECK (last_number > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Orders stored before this migration have no number (null); both columns are never updated.
ALTER TABLE orders
  ADD COLUMN business_day date,
  ADD COLUMN ticket_number integer CHECK (ticket_number > 0),
  ADD CONSTRAINT orders_ticket_number_with_day CHECK ((business_day IS NULL) = (ticket_number IS NULL));
-- The counter already makes numbers unique; the index makes a mistake in it an error, not two tickets #42.
CREATE UNIQUE INDEX orders_business_day_ticket_idx ON orders (business_day, ticket_number) WHERE ticket_number IS NOT NULL;

-- Down Migration

DROP INDEX orders_business_day_ticket_idx;
ALTER TABLE orders
  DROP CONSTRAINT orders_ticket_number_with_day,
  DROP COLUMN ticket_number,
  DROP COLUMN business_day;
DROP TABLE ticket_counters;
