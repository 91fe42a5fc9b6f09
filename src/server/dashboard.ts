import type { ApiApp } from "../api/index.ts";

/**
 * The dashboard's first page. It reads the token from the URL fragment (never sent to a server
 * or written to a log), keeps it for the browser session and shows the service directory
 * through the same API everyone uses.
 */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>opsdojo</title><style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#0f1420;color:#e6e9ef}header{padding:1rem 2rem;background:#161d2e;display:flex;gap:1rem;align-items:baseline}
h1{margin:0;font-size:1.3rem}main{padding:1rem 2rem}table{border-collapse:collapse;width:100%}td,th{padding:.4rem .6rem;border-bottom:1px solid #273049;text-align:left}
.pass{color:#3ecf8e}.warn{color:#f5a524}.fail{color:#f31260}.unknown{color:#8a94a7}a{color:#7aa2ff}#msg{color:#f5a524}
</style></head><body><header><h1>opsdojo</h1><nav><a href="/docs">API reference</a> · <a href="/openapi.json">OpenAPI</a></nav></header>
<main><p id="msg"></p><h2>Service directory</h2><table id="services"><thead><tr><th>name</th><th>owner</th><th>lifecycle</th><th>versions</th><th>instances</th></tr></thead><tbody></tbody></table></main>
<script type="module">
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get("token")) { sessionStorage.setItem("opsdojo_token", fragment.get("token")); history.replaceState(null, "", location.pathname); }
const token = sessionStorage.getItem("opsdojo_token");
const msg = document.getElementById("msg");
const text = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
async function load() {
  if (!token) { msg.textContent = "No token: open the link that opsdojo serve printed."; return; }
  const r = await fetch("/api/services?limit=500&sort=name", { headers: { authorization: "Bearer " + token } });
  const body = await r.json();
  if (!r.ok) { msg.textContent = body.title + ": " + (body.detail ?? ""); return; }
  msg.textContent = "";
  document.querySelector("#services tbody").innerHTML = body.items.map((s) =>
    "<tr><td>" + text(s.name) + "</td><td>" + text(s.owner) + "</td><td>" + text(s.lifecycle) + "</td><td>" +
    s.versions.map((v) => text(v.version) + " " + text(v.status)).join(", ") + "</td><td>" +
    s.instances.map((i) => '<span class="' + text(i.status) + '">● ' + text(i.base_url) + "</span>").join("<br>") + "</td></tr>").join("");
}
load(); setInterval(load, 10000);
</script></body></html>`;

export function registerDashboard(app: ApiApp): void {
  app.get("/", { config: { scope: "public", internal: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(PAGE),
  );
}
