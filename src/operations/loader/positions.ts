import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";

export type Segment = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** `/steps/1/timeout` → ["steps", 1, "timeout"]; numbers only where the parent is a list. */
export function segmentsOf(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** ["steps", 1, "timeout"] → `steps[1].timeout`; odd keys are quoted. */
export function displayPath(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number" || /^[0-9]+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment.length > 40 ? `${segment.slice(0, 40)}…` : segment)}]`;
  }
  return out;
}

/**
 * Finds where a value (or its key) is written in the source. Walks the YAML node tree, so it is
 * exact for YAML and JSON alike; falls back to the nearest enclosing node that exists.
 */
export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** The value at `path`, or with `key: true` its key (for "unknown field" problems). */
  position(path: readonly Segment[], options: { key?: boolean } = {}): Position {
    const node = this.node(path, options.key ?? false);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? this.at(range[0]) : { line: 1, column: 1 };
  }

  /** The node at `path` (or its key), or the nearest enclosing one. */
  node(path: readonly Segment[], key = false): Node | null {
    let node: unknown = this.doc.contents;
    for (const [i, segment] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && keyText(it.key) === String(segment));
        if (!pair) break;
        if (last && key) return (pair.key as Node) ?? (node as Node);
        node = pair.value ?? pair.key;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined) break;
        node = item;
      } else break;
    }
    return (node as Node | null) ?? null;
  }
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}
