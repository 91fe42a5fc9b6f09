// The trees both sides leave, compared for identity: paths, types, modes, bytes, link targets.
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";

/** Every entry under `root` as `path type mode sha256` (files), `path dir mode`, `path link -> target`. */
export async function snapshotTree(root: string): Promise<string[]> {
  const lines: string[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const relPath = rel === "" ? name : `${rel}/${name}`;
      const stats = await lstat(path);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isDirectory()) {
        lines.push(`${relPath} dir ${mode}`);
        await walk(path, relPath);
      } else if (stats.isSymbolicLink()) {
        lines.push(`${relPath} link -> ${await readlink(path)}`);
      } else {
        const hash = createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
        lines.push(`${relPath} file ${mode} ${hash}`);
      }
    }
  }
  await walk(root, "");
  return lines;
}

/** What a host's tree must be after fleet-config.yaml, written here apart from both tools. */
export function expectedTree(hosts: readonly string[], release: string, workers: number): string[] {
  const hash = (text: string) => createHash("sha256").update(text).digest("hex");
  return hosts.flatMap((host) => {
    const config = `# ${host}: release ${release}\nrelease=${release}\nworkers=${workers}\nlisten=0.0.0.0:8080\n`;
    const dir = `${host}/releases/${release}`;
    return [
      `${host} dir 755`,
      `${host}/current link -> releases/${release}`,
      `${host}/releases dir 755`,
      `${dir} dir 755`,
      `${dir}/app.conf file 640 ${hash(config)}`,
      `${dir}/app.conf.default file 644 ${hash(config)}`,
    ];
  });
}

/** Lines one tree has and the other lacks, both ways, for the report. */
export function treeDifferences(expected: readonly string[], got: readonly string[]): string[] {
  return [
    ...expected.filter((l) => !got.includes(l)).map((l) => `- ${l}`),
    ...got.filter((l) => !expected.includes(l)).map((l) => `+ ${l}`),
  ];
}
