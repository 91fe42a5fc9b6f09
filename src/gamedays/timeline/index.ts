export {
  AUTO_KINDS,
  type EntryKind,
  HUMAN_KINDS,
  type HumanKind,
  isHumanKind,
  type TimelineEntry,
} from "./model.ts";
export {
  appendEntry,
  appendIn,
  formatEntry,
  formatOffset,
  listEntries,
  markHypothesis,
  type NewEntry,
} from "./timeline.ts";
