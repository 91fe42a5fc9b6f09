import { escapeHtml, htmlPage, inlineCode } from "./html.ts";

type Json = Record<string, unknown>;

interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Json>>;
  components?: { schemas?: Record<string, Json> };
}

const VERBS = ["get", "post", "put", "patch", "delete"];

/** A compact schema summary: `{ name: string, versions: [{…}] }` shown as indented JSON-ish text. */
function describeSchema(schema: unknown, depth = 0): string {
  if (!schema || typeof schema !== "object") return "any";
  const s = schema as Json;
  if (typeof s.$ref === "string") return s.$ref.split("/").pop() ?? "object";
  if (Array.isArray(s.anyOf)) return s.anyOf.map((x) => describeSchema(x, depth)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.type === "array") return `[${describeSchema(s.items, depth)}]`;
  if (s.type === "object" && s.properties && depth < 4) {
    const required = new Set((s.required as string[] | undefined) ?? []);
    const pad = "  ".repeat(depth + 1);
    const lines = Object.entries(s.properties as Record<string, unknown>).map(
      ([k, v]) => `${pad}${k}${required.has(k) ? "" : "?"}: ${describeSchema(v, depth + 1)}`,
    );
    return `{\n${lines.join(",\n")}\n${"  ".repeat(depth)}}`;
  }
  const format = typeof s.format === "string" ? ` (${s.format})` : "";
  return `${Array.isArray(s.type) ? s.type.join(" | ") : String(s.type ?? "any")}${format}`;
}

function renderOperation(path: string, verb: string, op: Json): string {
  const id = String(op.operationId ?? `${verb}-${path}`);
  const params = ((op.parameters as Json[] | undefined) ?? [])
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${p.required ? "yes" : ""}</td><td>${escapeHtml(describeSchema(p.schema))}</td><td>${inlineCode(String((p.schema as Json | undefined)?.description ?? p.description ?? ""))}</td></tr>`,
    )
    .join("");
  const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const bodySchema = body ? Object.values(body)[0]?.schema : undefined;
  const responses = Object.entries((op.responses as Record<string, Json> | undefined) ?? {})
    .map(([status, r]) => {
      const content = r.content as Record<string, Json> | undefined;
      const first = content ? Object.entries(content)[0] : undefined;
      const shape =
        first && Number(status) < 400 ? `<pre>${escapeHtml(describeSchema(first[1].schema))}</pre>` : "";
      return `<tr><td>${escapeHtml(status)}</td><td>${inlineCode(String(r.description ?? ""))}${first ? ` <code>${escapeHtml(first[0])}</code>` : ""}${shape}</td></tr>`;
    })
    .join("");
  const security = Array.isArray(op.security) && op.security.length === 0 ? "public" : "bearer token";
  return `<section id="${escapeHtml(id)}"><h3><span class="m ${verb.toUpperCase()}">${verb.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${op.deprecated ? ' <span class="dep">deprecated</span>' : ""}</h3>
<p>${inlineCode(String(op.summary ?? ""))} <small>· <code>${escapeHtml(id)}</code> · ${security}</small></p>
${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>description</th></tr>${params}</table>` : ""}
${bodySchema ? `<p>Request body:</p><pre>${escapeHtml(describeSchema(bodySchema))}</pre>` : ""}
<details><summary>Responses</summary><table>${responses}</table></details></section>`;
}

/** A readable, self-contained API reference rendered from the OpenAPI document (no CDN needed). */
export function renderApiReference(doc: OpenApiDoc): string {
  const groups = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const verb of VERBS) {
      const op = item[verb];
      if (!op) continue;
      const tag = String((op.tags as string[] | undefined)?.[0] ?? "other");
      groups.set(tag, [...(groups.get(tag) ?? []), renderOperation(path, verb, op)]);
    }
  }
  const nav = [...groups.keys()].map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`).join("");
  const sections = [...groups.entries()]
    .map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join("")}`)
    .join("");
  return htmlPage(
    `${doc.info.title} ${doc.info.version}`,
    `<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${inlineCode(doc.info.description ?? "")}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> · Problem types: <a href="/problems">/problems</a></p>
<nav>${nav}</nav>${sections}`,
  );
}
