/**
 * `main.js`: takes the token from the fragment, then draws the view the hash route names. Each
 * view gets a context whose signal aborts when the route changes: its timers and streams stop.
 */
export const MAIN_JS = `import { adoptToken, hasToken } from "./api.js";
import { clock } from "./format.js";
import { route } from "./routes.js";

adoptToken();
const view = document.getElementById("view");
const msg = document.getElementById("msg");
const updated = document.getElementById("updated");
let current = null;

function report(error) {
  if (error) {
    msg.textContent = error.message || String(error);
    return;
  }
  msg.textContent = "";
  updated.textContent = "updated " + clock(new Date().toISOString()) + " UTC";
}

function show() {
  if (current) current.abort();
  current = new AbortController();
  const { name, draw, params } = route(location.hash);
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  view.replaceChildren();
  msg.textContent = "";
  if (!hasToken()) {
    msg.textContent = "No token: open the link that opsdojo serve printed.";
    return;
  }
  draw(view, params, { signal: current.signal, report });
}

window.addEventListener("hashchange", show);
show();
`;
