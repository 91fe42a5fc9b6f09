import { createHash } from "node:crypto";
import { type Asset, bundleDashboard } from "./bundle.ts";
import { shell } from "./shell.ts";

/**
 * Set by scripts/build.mjs (esbuild's `define`) to the client it bundled; absent when the server
 * runs from the TypeScript sources.
 */
declare const __OPSDOJO_DASHBOARD__: readonly Asset[] | undefined;

/** The dashboard as served: its versioned base path, the HTML shell and the files by name. */
export interface Dashboard {
  readonly base: string;
  readonly shell: string;
  readonly assets: ReadonlyMap<string, Asset>;
}

function assemble(assets: readonly Asset[]): Dashboard {
  // A digest of every file: their URLs change exactly when their content does.
  const version = createHash("sha256")
    .update(assets.map((a) => `${a.name}\0${a.body}`).join("\0"))
    .digest("hex")
    .slice(0, 12);
  const base = `/dashboard/${version}`;
  return { base, shell: shell(base), assets: new Map(assets.map((a) => [a.name, a])) };
}

let loading: Promise<Dashboard> | undefined;

/**
 * The dashboard: the bundle's own copy when there is one, else the sources bundled on first use
 * and kept for the life of the process. A failed bundling is not kept, so the next request tries again.
 */
export function loadDashboard(): Promise<Dashboard> {
  if (!loading) {
    const built = typeof __OPSDOJO_DASHBOARD__ === "undefined" ? undefined : __OPSDOJO_DASHBOARD__;
    loading = (built ? Promise.resolve(built) : bundleDashboard()).then(assemble);
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}
