import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { InvalidInputError, messageOf } from "../../core/index.ts";
import { openStore } from "../../store/index.ts";
import type { Session } from "../context.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";

/**
 * The OpenAPI document of a server running every unit. It is generated from the route schemas of
 * an app assembled in-process on a throwaway store, so it needs no running server and no state.
 *
 * @example
 * const doc = await buildOpenApiDocument();
 * doc.info.version; // "1.0.0"
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  // Imported here so that commands which never assemble a server do not pay for loading it.
  const { assembleServer } = await import("../../server/index.ts");
  const home = await mkdtemp(join(tmpdir(), "opsdojo-openapi-"));
  try {
    const store = await openStore({ home });
    try {
      const { app } = await assembleServer({ store });
      try {
        return app.swagger() as unknown as Record<string, unknown>;
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** The document as committed in src/client/openapi.json: 2-space JSON and a final newline. */
export function formatOpenApiDocument(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function runOpenapi(options: { out?: string }): Promise<CommandResult> {
  const doc = await buildOpenApiDocument();
  if (options.out === undefined) {
    // The document is the output whether or not --json was given.
    return { json: doc, text: () => formatOpenApiDocument(doc) };
  }
  const out = options.out;
  try {
    await writeFile(out, formatOpenApiDocument(doc));
  } catch (cause) {
    throw new InvalidInputError(`cannot write --out ${out}: ${messageOf(cause)}`);
  }
  const info = doc.info as { version?: string } | undefined;
  return {
    json: { out, version: info?.version ?? null },
    text: (s) => `wrote the OpenAPI document (API version ${info?.version ?? "?"}) to ${s.bold(out)}`,
  };
}

export function openapiCommand(_session: Session, run: Runner): Command {
  return new Command("openapi")
    .description("print the OpenAPI document of the full server")
    .option("--out <file>", "write it to FILE instead of standard output")
    .addHelpText("after", "\nExample:\n  opsdojo openapi --out openapi.json")
    .action((options: { out?: string }) => run(() => runOpenapi(options)));
}
