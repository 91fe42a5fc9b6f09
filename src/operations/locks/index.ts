export { PathLockedError } from "./errors.ts";
export { defaultLockDir, lockKey, PathLocks, type PathLocksOptions, pathsOf } from "./path-locks.ts";
