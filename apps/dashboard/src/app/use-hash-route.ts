import { useEffect, useState } from 'preact/hooks';
import { parseRoute, type Route } from './route';

/** The route in the location hash, following back/forward and links. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}
