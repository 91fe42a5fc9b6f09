/** Run a view's load now and again every few seconds until the view is left. */
import type { ViewContext } from "./view.ts";

export const LIST_REFRESH_MS = 10000;

/** Wait ms, or less if the signal aborts; leaves no listener behind (a wall screen runs for weeks). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/**
 * load() until the view's signal aborts, or until load() answers false (what it shows is at
 * rest); ctx.report shows a failure and clears it on success.
 */
export async function every(ms: number, ctx: ViewContext, load: () => Promise<unknown>): Promise<void> {
  while (!ctx.signal.aborted) {
    try {
      const again = await load();
      ctx.report(null);
      if (again === false) return;
    } catch (error) {
      if (ctx.signal.aborted) return;
      ctx.report(error);
    }
    await sleep(ms, ctx.signal);
  }
}
