import type { Request, Response } from 'express';

/**
 * Lists that /api/v1 answers as a bare JSON array cannot gain a `next` field without breaking
 * their clients, so their next page is told the way RFC 8288 does: `Link: <…&cursor=…>; rel="next"`,
 * the same request with the cursor set. No header on the last page.
 */
export function linkNextPage(request: Request, response: Response, next: string | null): void {
  if (next === null) return;
  const url = new URL(request.originalUrl, 'http://local');
  url.searchParams.set('cursor', next);
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
}

/** How the OpenAPI document describes that header on a list's answer. */
export const NEXT_LINK_HEADER = {
  Link: {
    description: 'RFC 8288 link to the next page (`rel="next"`: this request with `cursor` set); absent on the last page',
    schema: {
      type: 'string',
      example: '</api/v1/alerts?state=open&cursor=WyJhbGVydHMiLCIwIiwiUDIiLCIxNzk2MDgzMjAwMDAwMDAwIiwiNDIiXQ>; rel="next"',
    },
  },
};
