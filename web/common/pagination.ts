/**
 * The GOV.UK pagination component's parameters for page `page` of `total` rows: previous, next and up to seven
 * numbered pages around the current one; undefined when everything fits on one page.
 */
export function pagination(page: number, pageSize: number, total: number, href: (page: number) => string) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages === 1) return undefined;
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    items: Array.from({ length: pages }, (_, i) => ({ number: i + 1, href: href(i + 1), current: i + 1 === page })).slice(Math.max(0, page - 4), page + 3),
  };
}
