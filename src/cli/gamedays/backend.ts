import type { SessionRecord, TimelineEntry } from "../../gamedays/index.ts";

/**
 * What the reading `gameday` commands (list, show, timeline) need. One implementation reads the
 * store of this machine, the other a server's /api/sessions through the typed client; the
 * commands are written once against this interface. Commands that play a session (start, note,
 * end, restore) work on this machine only.
 */
export interface GamedaysBackend {
  /** Sessions, newest first (at most 200), of one scenario when given. */
  list(scenario?: string): Promise<SessionRecord[]>;
  get(id: string): Promise<SessionRecord>;
  /** Timeline entries after `afterSeq`, in order. */
  entries(id: string, afterSeq?: number): Promise<TimelineEntry[]>;
  close(): Promise<void>;
}
