import { sharedData } from "../../../test/support/shared-data.ts";

/** The shared event logs (never copied into the repository): `../shared/data/eventlogs/NAME`. */
export function sharedEventLog(name: string): string {
  return sharedData("eventlogs", name);
}
