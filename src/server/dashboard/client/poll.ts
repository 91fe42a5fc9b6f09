/** `poll.js`: run a view's load now and again every few seconds until the view is left. */
export const POLL_JS = `export const LIST_REFRESH_MS = 10000;

export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
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
