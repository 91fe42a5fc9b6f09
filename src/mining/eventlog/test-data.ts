import { fileURLToPath } from "node:url";

/** The shared event logs (never copied into the repository): `../shared/data/eventlogs/NAME`. */
export function sharedEventLog(name: string): string {
  return fileURLToPath(new URL(`../../../../shared/data/eventlogs/${name}`, import.meta.url));
}
