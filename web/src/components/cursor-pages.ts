/**
 * Cursor paging as the API does it (`limit` + the previous page's `nextCursor`): the cursors of the
 * pages seen so far, so "previous" needs no cursor the API does not give.
 */
export interface CursorPages {
  /** Cursors of page 1..n (page 1 has none). */
  readonly cursors: readonly (string | undefined)[];
  readonly index: number;
}

export const firstPage = (): CursorPages => ({ cursors: [undefined], index: 0 });
export const currentCursor = (pages: CursorPages): string | undefined => pages.cursors[pages.index];

export function nextPage(pages: CursorPages, nextCursor: string | null | undefined): CursorPages {
  if (!nextCursor) return pages;
  return { cursors: [...pages.cursors.slice(0, pages.index + 1), nextCursor], index: pages.index + 1 };
}

export const previousPage = (pages: CursorPages): CursorPages => (pages.index === 0 ? pages : { ...pages, index: pages.index - 1 });
