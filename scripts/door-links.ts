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
import type { Plugin } from "esbuild";
import ts from "typescript";

/** Where a name a door exports is defined: the file, and its name there. */
export interface Origin {
  file: string;
  name: string;
}

type Cache = Map<string, Map<string, Origin> | undefined>;

/** The specifier of a module that takes a few names of a door (for `await import(door)`). */
const VIRTUAL = "door-links:";
const SEPARATOR = "::";

const parse = (file: string, text: string) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/**
 * What a door exports: exported name → where it is defined, following doors behind doors (type
 * exports left out). Undefined for a file that is not a door (an index.ts with anything but
 * `export { … } from` lines), which is then imported as written.
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
  const names = new Map<string, Origin>();
  for (const statement of parse(file, text).statements) {
    if (
      !ts.isExportDeclaration(statement) ||
      statement.moduleSpecifier === undefined ||
      !ts.isStringLiteral(statement.moduleSpecifier) ||
      statement.exportClause === undefined ||
      !ts.isNamedExports(statement.exportClause)
    )
      return undefined;
    if (statement.isTypeOnly) continue;
    const target = resolve(dirname(file), statement.moduleSpecifier.text);
    const inner = doorExports(target, cache);
    for (const element of statement.exportClause.elements) {
      if (element.isTypeOnly) continue;
      const original = (element.propertyName ?? element.name).text;
      names.set(element.name.text, inner?.get(original) ?? { file: target, name: original });
    }
  }
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
 * left out (the bundle erases them anyway); an import with a default or namespace binding, or a
 * name the door does not list, is left as written.
 */
export function linkThroughDoors(file: string, text: string, cache: Cache = new Map()): string | undefined {
  const source = parse(file, text);
  const edits: Edit[] = [];
  const doorOf = (specifier: string) =>
    specifier.startsWith(".") ? doorExports(resolve(dirname(file), specifier), cache) : undefined;

  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    if (clause === undefined || clause.isTypeOnly || clause.name !== undefined) continue;
    if (clause.namedBindings === undefined || !ts.isNamedImports(clause.namedBindings)) continue;
    const door = doorOf(statement.moduleSpecifier.text);
    if (door === undefined) continue;
    const byFile = new Map<string, string[]>();
    const values = clause.namedBindings.elements.filter((e) => !e.isTypeOnly);
    const origins = values.map((e) => door.get((e.propertyName ?? e.name).text));
    if (origins.some((o) => o === undefined)) continue;
    values.forEach((element, i) => {
      const { file: target, name } = origins[i] as Origin;
      const local = element.name.text;
      byFile.set(target, [...(byFile.get(target) ?? []), name === local ? local : `${name} as ${local}`]);
    });
    const lines = [...byFile].map(
      ([target, bindings]) =>
        `import { ${bindings.join(", ")} } from ${JSON.stringify(specifierFrom(file, target))};`,
    );
    edits.push({ start: statement.getStart(source), end: statement.getEnd(), text: lines.join(" ") });
  }

  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer !== undefined &&
      ts.isAwaitExpression(node.initializer) &&
      ts.isCallExpression(node.initializer.expression) &&
      node.initializer.expression.expression.kind === ts.SyntaxKind.ImportKeyword
    ) {
      const literal = node.initializer.expression.arguments[0];
      const door = literal !== undefined && ts.isStringLiteral(literal) ? doorOf(literal.text) : undefined;
      const names = node.name.elements.map((e) => {
        const key = e.propertyName ?? e.name;
        return e.dotDotDotToken === undefined && ts.isIdentifier(key) ? key.text : undefined;
      });
      if (literal !== undefined && door !== undefined && names.every((n) => n !== undefined && door.has(n))) {
        const doorFile = resolve(dirname(file), (literal as ts.StringLiteral).text);
        const virtual = `${VIRTUAL}${doorFile}${SEPARATOR}${names.join(",")}`;
        edits.push({ start: literal.getStart(source), end: literal.getEnd(), text: JSON.stringify(virtual) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

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
function namesModule(specifier: string, cache: Cache): string {
  const [doorFile = "", names = ""] = specifier.slice(VIRTUAL.length).split(SEPARATOR);
  const door = doorExports(doorFile, cache);
  const lines = names.split(",").map((name) => {
    const origin = door?.get(name);
    if (origin === undefined) throw new Error(`${doorFile} does not export ${name}`);
    return `export { ${origin.name} as ${name} } from ${JSON.stringify(origin.file)};`;
  });
  return lines.join("\n");
}

const isOurSource = (src: string, file: string) =>
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
