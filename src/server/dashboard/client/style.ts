/**
 * `style.css`: dark, high-contrast and large enough to read across a room (the dashboard doubles
 * as a wall-mounted information radiator); motion only for those who have not asked for less.
 */
export const STYLE_CSS = `:root {
  color-scheme: dark;
  --bg: #0f1420; --panel: #161d2e; --line: #273049; --fg: #e6e9ef; --muted: #9aa4b8; --link: #8fb3ff;
  --ok: #3ecf8e; --bad: #ff4d7d; --busy: #5aa9ff; --warn: #f5a524; --idle: #9aa4b8;
}
* { box-sizing: border-box; }
body { font: clamp(16px, 0.6vw + 11px, 30px)/1.45 system-ui, sans-serif; margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--link); }
header { padding: 0.7em 1.5em; background: var(--panel); display: flex; flex-wrap: wrap; gap: 0.5em 1.5em; align-items: baseline; }
header h1 { margin: 0; font-size: 1.4em; }
header h1 a { color: inherit; text-decoration: none; }
header nav { display: flex; gap: 1em; }
header nav a { text-decoration: none; padding: 0.15em 0.3em; border-bottom: 3px solid transparent; }
header nav a[aria-current="page"] { color: var(--fg); border-bottom-color: var(--link); }
header .reference { margin-left: auto; font-size: 0.85em; }
#updated { color: var(--muted); font-size: 0.8em; }
#msg { margin: 0; padding: 0 1.5em; color: var(--warn); min-height: 1.5em; }
main { padding: 0 1.5em 2em; }
h2 { font-size: 1.5em; margin: 0.6em 0; }
h2.headline { font-size: 1.8em; display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; }
h3 { font-size: 1.15em; margin: 1.2em 0 0.4em; }
table.list { border-collapse: collapse; width: 100%; }
td, th { padding: 0.4em 0.6em; border-bottom: 1px solid var(--line); text-align: left; vertical-align: baseline; }
td.when, table.list td:first-child { white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: 0.85em; }
td.empty { color: var(--muted); }
td.data { font-family: ui-monospace, monospace; font-size: 0.8em; overflow-wrap: anywhere; }
tr[aria-current] td { background: var(--panel); }
.status { display: inline-block; font-weight: 700; padding: 0.05em 0.5em; border-radius: 0.3em; border: 2px solid currentColor; }
h2 .status { font-size: 0.8em; }
.status.ok { color: var(--ok); } .status.bad { color: var(--bad); } .status.busy { color: var(--busy); }
.status.warn { color: var(--warn); } .status.idle { color: var(--idle); }
.why { color: var(--muted); font-size: 0.85em; }
.meta, .back { color: var(--muted); margin: 0.2em 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0.5em 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.diagnosis { border-left: 6px solid var(--bad); background: var(--panel); padding: 0.5em 1em 0.8em; margin: 1em 0; }
.diagnosis .summary { font-size: 1.1em; font-weight: 600; }
.observed { color: var(--bad); } .expected { color: var(--ok); }
.causes > li { margin: 0.6em 0; }
.cause .title { font-weight: 700; margin: 0; }
.cause .score { color: var(--muted); font-weight: 400; }
.cause .evidence { color: var(--muted); margin: 0.2em 0; }
.cause .recovery { margin: 0.2em 0; }
code { font-family: ui-monospace, monospace; background: var(--bg); padding: 0.1em 0.3em; border-radius: 0.2em; overflow-wrap: anywhere; }
.alert { border-left: 6px solid var(--warn); padding-left: 1em; }
.timeline { list-style: none; padding: 0; margin: 0; }
.timeline .entry { padding: 0.35em 0.6em; border-bottom: 1px solid var(--line); }
.timeline .entry.human { border-left: 4px solid var(--link); }
.timeline .entry.auto { border-left: 4px solid var(--line); }
.timeline time { color: var(--muted); font-variant-numeric: tabular-nums; }
.timeline .kind { font-weight: 700; }
.timeline .by { color: var(--link); }
.live { font-size: 0.7em; color: var(--ok); border: 1px solid currentColor; border-radius: 1em; padding: 0 0.6em; vertical-align: middle; }
#drawing .svg { background: #fff; border-radius: 0.3em; padding: 0.5em; overflow: auto; }
#drawing svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
@media (prefers-reduced-motion: no-preference) {
  .timeline .entry { animation: arrive 1.5s ease-out; }
  .live { animation: pulse 2s ease-in-out infinite; }
}
@keyframes arrive { from { background: #24406e; } to { background: transparent; } }
@keyframes pulse { 50% { opacity: 0.4; } }
`;
