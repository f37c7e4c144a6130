import { useEffect, useState } from 'preact/hooks';
import type { AlertBook } from '../domain/alert-book';

/** Re-renders the caller whenever the site's alerts change. */
export function useAlerts(book: AlertBook): number {
  const [version, setVersion] = useState(0);
  useEffect(() => book.subscribe(() => setVersion((value) => value + 1)), [book]);
  return version;
}
