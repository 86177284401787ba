import './Pager.css';

export interface PagerProps {
  /** 0-based. */
  page: number;
  pages: number;
  /** Tickets that start on a later page, and that end on an earlier one. */
  later: number;
  earlier: number;
  total: number;
  onPage: (page: number) => void;
}

/**
 * Says where the tickets not on screen are ("1/3 · 12 more →"), read from across the
 * kitchen; the arrows are for touch, the bump bar pages with Page Down / Page Up.
 */
export function Pager({ page, pages, later, earlier, total, onPage }: PagerProps) {
  if (pages <= 1) {
    return (
      <nav className="kpager" aria-label="Pages">
        <span className="kpager__text">{total === 1 ? 'The only ticket' : `All ${total} tickets`} on screen</span>
      </nav>
    );
  }
  return (
    <nav className={later > 0 ? 'kpager kpager--more' : 'kpager'} aria-label="Pages">
      <button
        type="button"
        className="kbutton kpager__arrow"
        onClick={() => onPage(page - 1)}
        disabled={page === 0}
        aria-label="Previous page"
      >
        ←
      </button>
      <span className="kpager__text">
        {earlier > 0 ? <span className="kpager__earlier">← {earlier} earlier · </span> : null}
        <strong>
          {page + 1}/{pages}
        </strong>
        {later > 0 ? <> · {later} more →</> : page < pages - 1 ? ' · continues →' : ' · last page'}
      </span>
      <button
        type="button"
        className="kbutton kpager__arrow"
        onClick={() => onPage(page + 1)}
        disabled={page >= pages - 1}
        aria-label="Next page"
      >
        →
      </button>
    </nav>
  );
}
