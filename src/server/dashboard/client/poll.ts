/** `poll.js`: run a view's load now and again every few seconds until the view is left. */
export const POLL_JS = `export const LIST_REFRESH_MS = 10000;

/** Wait ms, or less if the signal aborts; leaves no listener behind (a wall screen runs for weeks). */
export function sleep(ms, signal) {
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

/** load() until the view's signal aborts; ctx.report shows a failure and clears it on success. */
export async function every(ms, ctx, load) {
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
`;
