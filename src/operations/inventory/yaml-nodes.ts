import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml";
import type { InventoryBuilder, Where } from "./builder.ts";
import type { InventoryValue } from "./model.ts";

/** Reads YAML nodes for the inventory readers, reporting each problem with its line. */
export class YamlNodes {
  constructor(
    private readonly builder: InventoryBuilder,
    private readonly lines: LineCounter,
  ) {}

  where(node: unknown, path: string): Where {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    const { line, col } = range ? this.lines.linePos(range[0]) : { line: 1, col: 1 };
    return { line, column: col, path };
  }

  /** The pairs of a mapping; null (an empty `key:`) is an empty mapping. */
  pairs(node: unknown, path: string, expected: string): Pair[] {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isMap(node)) {
      this.builder.problem(this.where(node, path), `expected ${expected}`);
      return [];
    }
    return node.items.filter((p): p is Pair => isPair(p));
  }

  key(pair: Pair): string {
    return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
  }

  /** A list of names (`[web01, "web[02:04]"]`). */
  names(node: unknown, path: string): { name: string; node: Node }[] {
    if (node === null || node === undefined) return [];
    if (!isSeq(node)) {
      this.builder.problem(this.where(node, path), "expected a list of names");
      return [];
    }
    const out: { name: string; node: Node }[] = [];
    for (const [i, item] of node.items.entries()) {
      if (isScalar(item) && typeof item.value === "string") out.push({ name: item.value, node: item });
      else this.builder.problem(this.where(item, `${path}[${i}]`), "expected a name");
    }
    return out;
  }

  /** A node as a plain value. */
  value(node: unknown): InventoryValue {
    return ((node as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null) as InventoryValue;
  }

  /** A variables mapping as plain values. */
  vars(node: unknown, path: string): Record<string, InventoryValue> {
    const out: Record<string, InventoryValue> = {};
    for (const pair of this.pairs(node, path, "a mapping of variables (name: value)")) {
      out[this.key(pair)] = this.value(pair.value);
    }
    return out;
  }
}
