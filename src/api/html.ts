/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Inline `code` spans in catalogue prose, after escaping. */
export function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

/** The one inline stylesheet of our HTML pages; the CSP allows it by its hash (security-headers.ts). */
export const PAGE_STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{font:13px ui-monospace,monospace;background:#f3f4f6;border-radius:4px}code{padding:0 .25em}pre{padding:.75em;overflow:auto}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}h3{font-size:1rem;margin-bottom:.25rem}
.m{display:inline-block;min-width:4.5em;font-weight:600}.GET{color:#0a6}.POST{color:#06c}.PATCH,.PUT{color:#b60}.DELETE{color:#c22}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
.dep{color:#a00;font-weight:600}nav a{margin-right:1em}`;

export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
}
