/**
 * The entry point: takes the token from the fragment, then draws the view the hash route names.
 * Each view gets a context whose signal aborts when the route changes: its timers and streams stop.
 */
import { adoptToken, hasToken } from "./api.ts";
import { element } from "./dom.ts";
import { clock } from "./format.ts";
import { route } from "./routes.ts";

adoptToken();
const view = element(document, "#view");
const msg = element(document, "#msg");
const updated = element(document, "#updated");
let current: AbortController | null = null;

function report(error: unknown): void {
  if (error) {
    msg.textContent = (error instanceof Error && error.message) || String(error);
    return;
  }
  msg.textContent = "";
  updated.textContent = `updated ${clock(new Date().toISOString())} UTC`;
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
  msg.textContent = "";
  if (!open && !hasToken()) {
    msg.textContent = "No token: open the link that opsdojo serve printed.";
    return;
  }
  draw(view, params, { signal: current.signal, report });
}

window.addEventListener("hashchange", show);
show();
