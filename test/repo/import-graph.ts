import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/**
 * The import graph of the sources, as the door rule (docs/architecture.md "Doors") reads it.
 * Written for that rule alone: it resolves only relative specifiers that name a file (`.ts`,
 * as the sources write them), which is how every import between our files is written.
 *
 * @example
 * const graph = readGraph(root, ["src"]);
 * doorBypasses(graph); // [] when every import between units goes through a door
 */

/** `static`: evaluated when the file loads; `type`: erased; `dynamic`: `import()` when it runs. */
export type ImportKind = "static" | "type" | "dynamic";

export interface Import {
  /** Repository-relative, with `/`. */
  from: string;
  line: number;
  specifier: string;
  /** Repository-relative path of the file it names, or undefined for a package. */
  to: string | undefined;
  kind: ImportKind;
}

export interface Graph {
  files: string[];
  imports: Import[];
}

const posix = (path: string) => path.split(sep).join("/");

/** Every `.ts` file under the given folders of root (tests included), sorted. */
export function tsFiles(root: string, folders: string[]): string[] {
  return folders
    .flatMap((folder) =>
      readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
        .map((e) => posix(relative(root, join(e.parentPath, e.name)))),
    )
    .filter((file) => !file.split("/").includes("node_modules"))
    .sort();
}

/** The imports one file's text makes: declarations, re-exports, `import()` and `import("x").T`. */
export function scanImports(file: string, text: string): Omit<Import, "to">[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: Omit<Import, "to">[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, kind: ImportKind) => {
    if (literal === undefined || !ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ from: file, line, specifier: literal.text, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // `import { type A } from "x"` still loads x under verbatimModuleSyntax; only
      // `import type` is erased.
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ? "type" : "static");
      return;
    }
    if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.isTypeOnly ? "type" : "static");
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly ? "type" : "static");
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], "dynamic");
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, "type");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The graph of the given folders: each import with the file it resolves to. */
export function readGraph(root: string, folders: string[]): Graph {
  const files = tsFiles(root, folders);
  const imports = files.flatMap((file) =>
    scanImports(file, readFileSync(join(root, file), "utf8")).map((found) => ({
      ...found,
      to: found.specifier.startsWith(".")
        ? posix(relative(root, resolve(root, dirname(file), found.specifier)))
        : undefined,
    })),
  );
  return { files, imports };
}

/**
 * The unit a file belongs to: the top-level folder of src/ it sits in (`src/operations/engine/
 * run.ts` → `operations`). Files outside src/ belong to no unit.
 */
export function unitOf(file: string): string | undefined {
  const parts = file.split("/");
  return parts[0] === "src" && parts.length > 2 ? parts[1] : undefined;
}

/** The only file of a unit that others may import. */
export const doorOf = (unit: string) => `src/${unit}/index.ts`;

export interface Bypass {
  where: string;
  imports: string;
  door: string;
}

/**
 * Imports that reach into another unit past its door. `mayReachIn(file)` names importers allowed
 * to (test helpers outside src/ that set up state by hand).
 */
export function doorBypasses(graph: Graph, mayReachIn: (file: string) => boolean = () => false): Bypass[] {
  return graph.imports.flatMap(({ from, line, to }) => {
    const target = to === undefined ? undefined : unitOf(to);
    if (to === undefined || target === undefined || target === unitOf(from)) return [];
    if (to === doorOf(target) || mayReachIn(from)) return [];
    return [{ where: `${from}:${line}`, imports: to, door: doorOf(target) }];
  });
}

/**
 * Imports of a unit's own door from inside it: the door is for others, and a file behind it that
 * imports it back loads the door before the door has finished loading.
 */
export function ownDoorImports(graph: Graph): string[] {
  return graph.imports
    .filter(({ from, to }) => {
      const unit = unitOf(from);
      return unit !== undefined && to === doorOf(unit) && from !== doorOf(unit);
    })
    .map(({ from, line }) => `${from}:${line}`);
}

/**
 * The cycles of a directed graph, one per strongly connected component of more than one node
 * (or a node that names itself): the component's nodes, and one closed path through it so a
 * reader can follow the loop.
 */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  // Tarjan's algorithm, iterative so a long chain of imports cannot overflow the stack.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])])].sort();
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; rest: string[] }[] = [];
    const open = (node: string) => {
      index.set(node, next);
      low.set(node, next);
      next++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, rest: [...(edges.get(node) ?? [])].sort() });
    };
    open(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; rest: string[] };
      const child = top.rest.shift();
      if (child !== undefined) {
        if (!index.has(child)) open(child);
        else if (onStack.has(child))
          low.set(top.node, Math.min(low.get(top.node) as number, index.get(child) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) !== index.get(top.node)) continue;
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== top.node);
      if (component.length > 1 || edges.get(top.node)?.has(top.node))
        found.push(loopThrough(component, edges));
    }
  }
  return found;
}

/** A closed path inside a strongly connected component, from its first node (sorted) back to it. */
function loopThrough(component: string[], edges: Map<string, Set<string>>): string[] {
  const members = new Set(component);
  const first = [...component].sort()[0] as string;
  // Breadth-first from first's successors back to first: the shortest loop, easiest to read.
  const previous = new Map<string, string>();
  const queue = [first];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const child of [...(edges.get(node) ?? [])].sort()) {
      if (child === first) {
        const path: string[] = [];
        for (let at = node; at !== first; at = previous.get(at) as string) path.push(at);
        return [first, ...path.reverse(), first];
      }
      if (!members.has(child) || previous.has(child)) continue;
      previous.set(child, node);
      queue.push(child);
    }
  }
  return [first, first];
}

/** Edges between files that are evaluated when the importer loads (no types, no `import()`). */
export function runtimeFileEdges(graph: Graph): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { from, to, kind } of graph.imports) {
    if (to === undefined || kind !== "static") continue;
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
  return edges;
}

/** Edges between units, of any kind: a unit that names another's types depends on it too. */
export function unitEdges(graph: Graph): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of graph.imports) {
    const a = unitOf(from);
    const b = to === undefined ? undefined : unitOf(to);
    if (a === undefined || b === undefined || a === b) continue;
    edges.set(a, (edges.get(a) ?? new Set()).add(b));
  }
  return edges;
}
