import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** Where a path named in a request leads, once checked against the server's files root. */
export type RootedPath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly path: string; readonly reason: string };

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Resolve `path` (relative to `base`, itself relative to `root`) and check that it stays inside
 * `root` both as written (no `..` out, no absolute path elsewhere) and as the file system
 * resolves it (no symlink leading out). The server reads a file a request names only when this
 * says ok. A file that does not exist yet is judged by its nearest existing parent directory.
 *
 * @example await resolveInsideRoot("/srv/opsdojo", "gamedays", "../ops/a.yaml") // { ok: true, path: "/srv/opsdojo/ops/a.yaml" }
 */
export async function resolveInsideRoot(root: string, base: string, path: string): Promise<RootedPath> {
  const absRoot = resolve(root);
  const target = resolve(absRoot, base, path);
  const why = "it is outside the server's files root (opsdojo serve --files-root)";
  if (!inside(absRoot, target)) return { ok: false, path: target, reason: why };
  const realRoot = await realpath(absRoot).catch(() => absRoot);
  let real: string | undefined;
  for (let probe = target; real === undefined; probe = resolve(probe, "..")) {
    real = await realpath(probe).catch(() => undefined);
    if (real === undefined && probe === resolve(probe, "..")) break;
  }
  if (real !== undefined && !inside(realRoot, real)) {
    return { ok: false, path: target, reason: `${why}: a symbolic link on the way leads out of it` };
  }
  return { ok: true, path: target };
}
