import type { ActionProvider } from "../provider.ts";
import { fileChmod } from "./chmod.ts";
import { fileCopy } from "./copy.ts";
import { fileDelete } from "./delete.ts";
import { fileMkdir } from "./mkdir.ts";
import { fileMove } from "./move.ts";
import { fileReplace } from "./replace.ts";
import { fileSymlink } from "./symlink.ts";
import { fileWrite } from "./write.ts";

export { type FileChmodState, fileChmod } from "./chmod.ts";
export { type FileCopyState, fileCopy } from "./copy.ts";
export { type FileDeleteState, fileDelete } from "./delete.ts";
export { type FileMkdirState, fileMkdir } from "./mkdir.ts";
export { type FileMoveState, fileMove } from "./move.ts";
export type { DirEntry, NodeState } from "./node-state.ts";
export { type FileReplaceState, fileReplace } from "./replace.ts";
export { type FileSymlinkState, fileSymlink } from "./symlink.ts";
export { TRASH_DIR } from "./trash.ts";
export { type FileWriteState, fileWrite } from "./write.ts";

/** Every file action, for the engine's registry (each pre-state is opaque JSON to the engine). */
export const fileProviders: readonly ActionProvider<Record<string, unknown>, unknown>[] = [
  fileWrite,
  fileDelete,
  fileMkdir,
  fileCopy,
  fileMove,
  fileChmod,
  fileSymlink,
  fileReplace,
];
