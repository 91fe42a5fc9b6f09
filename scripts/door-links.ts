/**
 * An esbuild plugin for the CLI bundle: an import through a door (an index.ts made only of
 * `export { … } from` lines) is linked to the files that define the names it takes.
 *
 * Why: esbuild splits the bundle into chunks by which entry points reach a *file*, and a door
 * reaches every file of its unit. `src/cli/exit-codes.ts`, which every command loads, takes
 * `ProblemError` from the api door; left as written, that put the whole API core (and Fastify)
 * into what `opsdojo --version` loads. Linked past the door, a command loads the files it uses,
 * as it did when it imported them one by one. The sources keep the door rule
 * (docs/architecture.md "Doors"); only the bundle takes the short way.
 *
 * @example
 * // src/cli/exit-codes.ts as written:
 * import { PROBLEMS, ProblemError } from "../api/index.ts";
 * // as the bundle reads it:
 * import { ProblemError } from "../api/problem-error.ts"; import { PROBLEMS } from "../api/problems.ts";
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";

/** Where a name a door exports is defined: the file, and its name there. */
export interface Origin {
  file: string;
  name: string;
}

type Cache = Map<string, Map<string, Origin> | undefined>;

/** The specifier of a module that takes a few names of a door (for `await import(door)`). */
const VIRTUAL = "door-links:";
const SEPARATOR = "::";

// A small scanner of our own, not the TypeScript compiler: the Node hooks run it in every
// `opsdojo` started from the sources, where loading the compiler alone cost ~0.5 s. It reads the
// shapes Biome writes and tsx's output; anything else is left as written.
const IDENTIFIER = "[A-Za-z_$][\\w$]*";
const NAMED = new RegExp(`^(type\\s+)?(${IDENTIFIER})(?:\\s+as\\s+(${IDENTIFIER}))?$`);
const BOUND = new RegExp(`^(${IDENTIFIER})(?:\\s*:\\s*(${IDENTIFIER}))?$`);
const RE_EXPORT = /^\s*export\s+(type\s+)?\{([^}]*)\}\s*from\s*(["'])([^"']+)\3\s*;?/;
// At the start of a line, or after a `;` (tsx writes a file's imports on one line).
const STATIC_IMPORT = /(?:^|(?<=;))[ \t]*import\s*\{([^}]*)\}\s*from\s*(["'])([^"']+)\2\s*;?/gm;
const DYNAMIC_IMPORT = /\bconst\s*\{([^}]*)\}\s*=\s*await\s+import\(\s*(["'])([^"']+)\2\s*,?\s*\)/g;

interface Named {
  typeOnly: boolean;
  name: string;
  alias: string;
}

/** `a, type B, c as d` → its names; undefined for anything else (a comment, a default import). */
function namedList(list: string): Named[] | undefined {
  const names: Named[] = [];
  for (const item of list.split(",").map((i) => i.trim())) {
    if (item === "") continue;
    const m = NAMED.exec(item);
    if (m === null) return undefined;
    const name = m[2] as string;
    names.push({ typeOnly: m[1] !== undefined, name, alias: m[3] ?? name });
  }
  return names;
}

/**
 * What a door exports: exported name → where it is defined, following doors behind doors (type
 * exports left out). Undefined for a file that is not a door (an index.ts with anything but
 * `export { … } from` lines and comments), which is then imported as written.
 */
export function doorExports(file: string, cache: Cache = new Map()): Map<string, Origin> | undefined {
  if (cache.has(file)) return cache.get(file);
  cache.set(file, undefined); // a door that reaches itself is no door to link through
  if (!file.endsWith(`${sep}index.ts`)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let rest = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const names = new Map<string, Origin>();
  for (let m = RE_EXPORT.exec(rest); m !== null; m = RE_EXPORT.exec(rest)) {
    rest = rest.slice(m[0].length);
    const list = namedList(m[2] as string);
    if (list === undefined) return undefined;
    if (m[1] !== undefined) continue;
    const target = resolve(dirname(file), m[4] as string);
    const inner = doorExports(target, cache);
    for (const { typeOnly, name, alias } of list) {
      if (!typeOnly) names.set(alias, inner?.get(name) ?? { file: target, name });
    }
  }
  if (rest.trim() !== "") return undefined;
  cache.set(file, names);
  return names;
}

function specifierFrom(importer: string, target: string): string {
  const path = relative(dirname(importer), target).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The file's text with each `import { … } from "<door>"` replaced by imports from the files that
 * define those names, and each `const { a, b } = await import("<door>")` by an import of a module
 * that takes just a and b; undefined when the file imports through no door. Type-only names are
 * left out (they are erased anyway); an import of a name the door does not list, or of a shape
 * the scanner does not know, is left as written.
 */
export function linkThroughDoors(file: string, text: string, cache: Cache = new Map()): string | undefined {
  const edits: Edit[] = [];
  const doorOf = (specifier: string) =>
    specifier.startsWith(".") ? doorExports(resolve(dirname(file), specifier), cache) : undefined;

  for (const m of text.matchAll(STATIC_IMPORT)) {
    const door = doorOf(m[3] as string);
    const list = namedList(m[1] as string);
    if (door === undefined || list === undefined) continue;
    const values = list.filter((n) => !n.typeOnly);
    if (values.some((n) => !door.has(n.name))) continue;
    const byFile = new Map<string, string[]>();
    for (const { name, alias } of values) {
      const origin = door.get(name) as Origin;
      const binding = origin.name === alias ? alias : `${origin.name} as ${alias}`;
      byFile.set(origin.file, [...(byFile.get(origin.file) ?? []), binding]);
    }
    const lines = [...byFile].map(
      ([target, bindings]) =>
        `import { ${bindings.join(", ")} } from ${JSON.stringify(specifierFrom(file, target))};`,
    );
    const start = m.index + (m[0].length - m[0].trimStart().length);
    edits.push({ start, end: m.index + m[0].length, text: lines.join(" ") });
  }

  for (const m of text.matchAll(DYNAMIC_IMPORT)) {
    const specifier = m[3] as string;
    const door = doorOf(specifier);
    const names = (m[1] as string)
      .split(",")
      .map((i) => i.trim())
      .filter((i) => i !== "")
      .map((i) => BOUND.exec(i)?.[1]);
    if (door === undefined || names.length === 0 || names.some((n) => n === undefined || !door.has(n)))
      continue;
    const quoted = `${m[2]}${specifier}${m[2]}`;
    const start = m.index + m[0].lastIndexOf(quoted);
    const virtual = `${VIRTUAL}${resolve(dirname(file), specifier)}${SEPARATOR}${names.join(",")}`;
    edits.push({ start, end: start + quoted.length, text: JSON.stringify(virtual) });
  }

  if (edits.length === 0) return undefined;
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    // As many lines as the statement had, so every line after it keeps its number (stack traces,
    // source maps).
    const lines = out.slice(edit.start, edit.end).split("\n").length - 1;
    out = out.slice(0, edit.start) + edit.text + "\n".repeat(lines) + out.slice(edit.end);
  }
  return out;
}

/** The module a `door-links:<door>::a,b` specifier names: a and b, from where they are defined. */
function namesModule(specifier: string, cache: Cache, from: (file: string) => string = (f) => f): string {
  const [doorFile = "", names = ""] = specifier.slice(VIRTUAL.length).split(SEPARATOR);
  const door = doorExports(doorFile, cache);
  const lines = names.split(",").map((name) => {
    const origin = door?.get(name);
    if (origin === undefined) throw new Error(`${doorFile} does not export ${name}`);
    return `export { ${origin.name} as ${name} } from ${JSON.stringify(from(origin.file))};`;
  });
  return lines.join("\n");
}

export const isOurSource = (src: string, file: string) =>
  file.startsWith(src) && file.endsWith(".ts") && !file.includes(`${sep}node_modules${sep}`);

/** The plugin: our sources under root/src, linked past their doors as esbuild loads them. */
export function doorLinks(root: string): Plugin {
  const src = resolve(root, "src") + sep;
  return {
    name: "door-links",
    setup(build) {
      const cache: Cache = new Map();
      build.onResolve({ filter: /^door-links:/ }, (args) => ({ path: args.path, namespace: "door-links" }));
      build.onLoad({ filter: /.*/, namespace: "door-links" }, (args) => ({
        contents: namesModule(args.path, cache),
        loader: "ts",
        resolveDir: dirname(args.path.slice(VIRTUAL.length)),
      }));
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!isOurSource(src, args.path)) return undefined;
        const contents = linkThroughDoors(args.path, readFileSync(args.path, "utf8"), cache);
        return contents === undefined ? undefined : { contents, loader: "ts" };
      });
    },
  };
}

/**
 * The same for vitest (a Vite plugin, vitest.config.ts): a test that imports one name of a door
 * loads the files behind that name, as the bundle does, not the whole unit. Doors are read anew
 * for each file, so a door edited in watch mode is seen.
 */
export function viteDoorLinks(root: string) {
  const src = resolve(root, "src") + sep;
  return {
    name: "door-links",
    enforce: "pre" as const,
    resolveId: (id: string) => (id.startsWith(VIRTUAL) ? `\0${id}` : null),
    load: (id: string) => (id.startsWith(`\0${VIRTUAL}`) ? namesModule(id.slice(1), new Map()) : null),
    transform(code: string, id: string) {
      const file = id.split("?")[0] ?? id;
      return isOurSource(src, file) ? (linkThroughDoors(file, code) ?? null) : null;
    },
  };
}

/**
 * The same for Node's module hooks, after tsx's (bin/opsdojo.js running the sources): `load`
 * links the JavaScript tsx made of a source file, `resolve` and `load` serve the modules of
 * `door-links:` specifiers.
 */
export function nodeDoorLinks(root: string) {
  const src = resolve(root, "src") + sep;
  type Next<A, R> = (a: string, context: A) => Promise<R>;
  interface Loaded {
    format?: string | null | undefined;
    source?: string | ArrayBuffer | Uint8Array | null | undefined;
    shortCircuit?: boolean;
  }
  return {
    resolve<A, R>(specifier: string, context: A, next: Next<A, R>) {
      if (specifier.startsWith(VIRTUAL)) return Promise.resolve({ url: specifier, shortCircuit: true });
      return next(specifier, context);
    },
    async load<A>(url: string, context: A, next: Next<A, Loaded>): Promise<Loaded> {
      if (url.startsWith(VIRTUAL)) {
        const source = namesModule(url, new Map(), (file) => pathToFileURL(file).href);
        return { format: "module", source, shortCircuit: true };
      }
      const loaded = await next(url, context);
      if (!url.startsWith("file:") || loaded.source == null) return loaded;
      const file = fileURLToPath(url.split("?")[0] ?? url);
      if (!isOurSource(src, file)) return loaded;
      const text =
        typeof loaded.source === "string" ? loaded.source : new TextDecoder().decode(loaded.source);
      const linked = linkThroughDoors(file, text);
      return linked === undefined ? loaded : { ...loaded, source: linked };
    },
  };
}
