import { Link } from 'wouter';

/** The way back to the floor plan, first in the head of every screen under it. */
export function BackToTables() {
  return (
    <Link href="/" className="button button--ghost">
      ← Tables
    </Link>
  );
}
