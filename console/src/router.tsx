/**
 * Hash routes (`#/postings/…`): the service serves one index.html at /console/, so every page is reachable
 * (and reloadable, and bookmarkable) without the server knowing the console's routes.
 */
import { useEffect, useState, type AnchorHTMLAttributes, type ReactNode } from 'react';

export interface Route {
  /** The path after `#`, without the query: `/postings/abc`. */
  path: string;
  params: URLSearchParams;
}

const parse = (): Route => {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?', 2);
  return { path: path || '/', params: new URLSearchParams(search) };
};

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const update = () => setRoute(parse());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export const href = (path: string, params?: Record<string, string | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
};

export const navigate = (path: string, params?: Record<string, string | undefined>): void => {
  window.location.hash = href(path, params);
};

export function Link({
  to,
  params,
  children,
  ...rest
}: {
  to: string;
  params?: Record<string, string | undefined>;
  children: ReactNode;
} & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return (
    <a href={href(to, params)} {...rest}>
      {children}
    </a>
  );
}
