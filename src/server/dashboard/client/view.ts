/** What every view is given: where to draw, the route's parameters and its life. */

/** The parts of a hash route a view reads: `#/runs/ID` gives `{ id: "ID" }`. */
export interface RouteParams {
  readonly id: string | undefined;
  /** What follows `?` in the hash: `#/wall?every=20` gives `every=20`. */
  readonly query: URLSearchParams;
}

/**
 * A view's life: the signal aborts when the route changes (its timers and streams stop), and
 * `report` shows a failure under the header — or, given null, clears it and notes the refresh.
 */
export interface ViewContext {
  readonly signal: AbortSignal;
  report(error: unknown): void;
}

export type View = (root: HTMLElement, params: RouteParams, ctx: ViewContext) => void;
