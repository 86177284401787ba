-- Up Migration

-- One number that moves with every change to what an order is checked against: the menu
-- items with their modifier groups and options, and the tables. Each server instance keeps
-- a copy of those in memory (src/orders/catalog.ts) and every order's statement checks
-- that the copy's version is still this one, so the hot path reads neither the menu nor
-- the table per order, and a stale copy can never let an order through.
CREATE TABLE catalog_version (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version bigint NOT NULL
);
INSERT INTO catalog_version (version) VALUES (1);

-- A row, not a sequence: the new number must become visible with the change's commit,
-- never before it. Statement-level, so a bulk edit moves it once.
CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER menu_items_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON menu_items
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER modifier_groups_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON modifier_groups
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER modifier_options_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON modifier_options
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER dining_tables_catalog_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dining_tables
  FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version();

-- Down Migration
DROP TRIGGER dining_tables_catalog_version ON dining_tables;
DROP TRIGGER modifier_options_catalog_version ON modifier_options;
DROP TRIGGER modifier_groups_catalog_version ON modifier_groups;
DROP TRIGGER menu_items_catalog_version ON menu_items;
DROP FUNCTION bump_catalog_version();
DROP TABLE catalog_version;
