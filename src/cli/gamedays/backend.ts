import type { HumanKind, Postmortem, SessionRecord, TimelineEntry } from "../../gamedays/index.ts";

/**
 * What the `gameday` commands list, show, timeline, note, mark and postmortem need. One
 * implementation works on the store of this machine, the other on a server's /api/sessions
 * through the typed client; the commands are written once against this interface. Commands that
 * play a session (start, end, release, restore) work on this machine only.
 */
export interface GamedaysBackend {
  /** Sessions, newest first (at most 200), of one scenario when given. */
  list(scenario?: string): Promise<SessionRecord[]>;
  get(id: string): Promise<SessionRecord>;
  /** Timeline entries after `afterSeq`, in order. */
  entries(id: string, afterSeq?: number): Promise<TimelineEntry[]>;
  /** A human entry on the timeline, stamped now (kind and text already checked). */
  note(id: string, input: { kind: HumanKind; by: string | null; text: string }): Promise<TimelineEntry>;
  /** The GM's verdict on hypothesis `seq`; any other entry is refused. */
  mark(id: string, seq: number, correct: boolean): Promise<TimelineEntry>;
  close(): Promise<void>;
}

/** A session's postmortem, as `gameday postmortem` writes it in either format. */
export interface PostmortemSource {
  postmortem(id: string): Promise<Postmortem>;
  postmortemMarkdown(id: string): Promise<string>;
}
