import type { CommandResult } from "./output.ts";

/**
 * Command actions hand their work to the runner instead of printing: main keeps the result and
 * renders it, so every command gets `--json`, colours and error mapping the same way.
 */
export type Runner = (task: () => Promise<CommandResult>) => Promise<void>;
