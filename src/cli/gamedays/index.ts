/** Game days for the reading `gameday` commands: on this machine's store or on a server. */
export type { GamedaysBackend } from "./backend.ts";
export { withGamedays } from "./open.ts";
