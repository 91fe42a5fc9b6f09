export { ActionFailedError, ActionInputError, PathEscapeError } from "./errors.ts";
export {
  type DirEntry,
  type FileChmodState,
  type FileCopyState,
  type FileDeleteState,
  type FileMkdirState,
  type FileMoveState,
  type FileReplaceState,
  type FileSymlinkState,
  type FileWriteState,
  fileChmod,
  fileCopy,
  fileDelete,
  fileMkdir,
  fileMove,
  fileProviders,
  fileReplace,
  fileSymlink,
  fileWrite,
  type NodeState,
  TRASH_DIR,
} from "./file/index.ts";
export { noop, parseSleep } from "./noop/index.ts";
export type {
  ActionContext,
  ActionProvider,
  EffectPreview,
  IdentityChange,
  PlanReport,
  UndoOutcome,
} from "./provider.ts";
