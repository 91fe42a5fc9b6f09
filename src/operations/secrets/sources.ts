import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Param } from "../model/index.ts";
import { SecretSourceError } from "./errors.ts";

/** Where sources are read from; injected so tests need not change the process. */
export interface SourceReader {
  readonly env: NodeJS.ProcessEnv;
  readonly readFile: (path: string) => string;
}

export const processSources: SourceReader = {
  env: process.env,
  readFile: (path) => readFileSync(path, "utf8"),
};

/** A file holding a secret is small; a larger one is a wrong path, not a secret. */
const MAX_SECRET_FILE = 64 * 1024;

/**
 * The value of a secret param from its declared `source`, or undefined when it declares none.
 * Errors say which source failed and how, never what the file holds.
 */
export function readSource(
  name: string,
  param: Param,
  reader: SourceReader = processSources,
): string | undefined {
  const source = param.source;
  if (source === undefined) return undefined;
  if (source.startsWith("env:")) {
    const value = reader.env[source.slice(4)];
    if (value === undefined || value === "") throw new SecretSourceError(name, source, "is not set");
    return value;
  }
  const path = resolve(source.slice(5));
  let text: string;
  try {
    text = reader.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecretSourceError(name, source, `cannot be read (${code ?? "error"})`);
  }
  if (text.length > MAX_SECRET_FILE)
    throw new SecretSourceError(name, source, `is larger than ${MAX_SECRET_FILE} bytes`);
  const value = text.replace(/\r?\n$/, "");
  if (value === "") throw new SecretSourceError(name, source, "is empty");
  return value;
}
