import type { MarkingEntry, PnmlReadOptions } from "../../mining/index.ts";
import { UsageError } from "../errors.ts";

export const FINAL_MARKING_HELP =
  "a PNML without <finalmarkings>: its final places, PLACE[=TOKENS],… (PNML place ids)";

/**
 * `--final-marking sink,p7=2`: the final marking of a PNML that carries none. Nothing is guessed:
 * a wrong final marking silently changes fitness and precision.
 */
export function finalMarkingOptions(value: string | undefined, command: string): PnmlReadOptions {
  if (value === undefined) return {};
  const entries: MarkingEntry[] = [];
  for (const part of value.split(",")) {
    const match = /^\s*([^=\s]+)\s*(?:=\s*(\d+)\s*)?$/.exec(part);
    const tokens = match?.[2] === undefined ? 1 : Number(match[2]);
    if (match === null || tokens < 1) {
      throw new UsageError(
        `--final-marking is PLACE[=TOKENS],… such as "sink" or "p3=2,p5", not "${value}"`,
        command,
      );
    }
    entries.push({ place: match[1] as string, tokens });
  }
  return { finalMarking: entries };
}
