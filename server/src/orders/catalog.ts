import type { MenuItem } from '@chit/shared';
import sql, { type Sql } from 'sql-template-tag';
import type { Pool } from '../db/pool.js';
import { getAllMenuItems } from '../menu/store.js';
import { listTableStates } from '../tables/store.js';

/**
 * What an order is checked against: every menu item (archived ones too, to say "no longer
 * on the menu") and every table (removed ones too), as of `version`, the number in
 * `catalog_version` that triggers move with each change to them (migration 0004).
 */
export interface Catalog {
  version: number;
  menuItems: ReadonlyMap<string, MenuItem & { archived: boolean }>;
  tables: ReadonlyMap<string, { number: number; archived: boolean }>;
}

/** The SQL condition, for a write's own statement, that the copy numbered `version` is current. */
export function catalogIsCurrent(version: number): Sql {
  return sql`(SELECT version FROM catalog_version) = ${version}::bigint`;
}

async function readVersion(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ version: number }>(`SELECT version FROM catalog_version`);
  return rows[0]!.version;
}

async function loadCatalog(pool: Pool): Promise<Catalog> {
  // The number first: the reads after it see at least its data (READ COMMITTED), perhaps
  // newer, which only makes a write's check fail once more; never older data under a
  // newer number.
  const version = await readVersion(pool);
  const [menuItems, tables] = await Promise.all([getAllMenuItems(pool), listTableStates(pool)]);
  return { version, menuItems, tables };
}

/**
 * This instance's copy of the catalog, so that placing an order reads neither the menu nor
 * its table. The copy is never trusted on its own: the order's statement writes only if
 * the copy's version is still the database's (`catalogIsCurrent`), and a refusal is only
 * given after checking that the copy was current. So a dish 86'd or a table removed
 * through any instance is honoured by every instance's very next order.
 */
export class CatalogCache {
  private copy: Catalog | null = null;
  private loading: Promise<Catalog> | null = null;

  constructor(private readonly pool: Pool) {}

  get(): Promise<Catalog> {
    if (this.copy) return Promise.resolve(this.copy);
    this.loading ??= loadCatalog(this.pool).then(
      (catalog) => {
        this.copy = catalog;
        this.loading = null;
        return catalog;
      },
      (err: unknown) => {
        this.loading = null;
        throw err;
      },
    );
    return this.loading;
  }

  /** `stale` turned out to be out of date: the next `get()` reads a fresh copy. */
  drop(stale: Catalog): void {
    if (this.copy === stale) this.copy = null;
  }

  /**
   * Runs `check` against the copy. When it throws (refuses the order), runs it again
   * against a fresh copy unless the copy was current: the refusal may only be because the
   * copy predates the dish or table the order names.
   */
  async check<T>(check: (catalog: Catalog) => T): Promise<{ result: T; catalog: Catalog }> {
    const copy = await this.get();
    try {
      return { result: check(copy), catalog: copy };
    } catch (err) {
      if ((await readVersion(this.pool)) === copy.version) throw err;
      this.drop(copy);
      const fresh = await this.get();
      return { result: check(fresh), catalog: fresh };
    }
  }
}
