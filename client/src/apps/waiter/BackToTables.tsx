import { Link } from 'wouter';

/** "← Tables" at the top left of the waiter's screens: back to the tables. */
export function BackToTables() {
  return (
    <Link href="/" className="button button--ghost">
      ← Tables
    </Link>
  );
}
