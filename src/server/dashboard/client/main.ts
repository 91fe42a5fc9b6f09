/**
 * The entry point: takes the token from the fragment, then draws the view the hash route names.
 * Each view gets a context whose signal aborts when the route changes: its timers and streams stop.
 */
import { adoptToken, hasToken } from "./api.ts";
import { element } from "./dom.ts";
import { localClock, utcOffset } from "./format.ts";
import { route } from "./routes.ts";
import { isUnreachable, unreachableNotice } from "./unreachable.ts";

adoptToken();
const view = element(document, "#view");
const msg = element(document, "#msg");
const updated = element(document, "#updated");
let current: AbortController | null = null;
/** When the view's data was last read: what "data from HH:MM" names when the server is gone. */
let lastRead: Date | null = null;

function report(error: unknown): void {
  const unreachable = Boolean(error) && isUnreachable(error);
  view.classList.toggle("stale", unreachable);
  msg.classList.toggle("unreachable", unreachable);
  if (error) {
    msg.textContent = unreachable
      ? unreachableNotice(lastRead)
      : (error instanceof Error && error.message) || String(error);
    return;
  }
  lastRead = new Date();
  msg.textContent = "";
  updated.textContent = `updated ${localClock(lastRead)}`;
  updated.title = utcOffset(lastRead);
}

function show(): void {
  current?.abort();
  current = new AbortController();
  const { name, draw, params, public: open } = route(location.hash);
  for (const link of document.querySelectorAll<HTMLElement>("nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  view.replaceChildren();
  view.classList.remove("stale");
  msg.classList.remove("unreachable");
  lastRead = null;
  msg.textContent = "";
  if (!open && !hasToken()) {
    msg.textContent = "No token: open the link that opsdojo serve printed.";
    return;
  }
  draw(view, params, { signal: current.signal, report });
}

window.addEventListener("hashchange", show);
show();
