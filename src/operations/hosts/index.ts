export type { FileStat, FileSystem } from "./file-system.ts";
export { localFs } from "./local-fs.ts";
export type { Become, Host, RemoteOptions } from "./model.ts";
export { remoteFileSystem } from "./remote-fs.ts";
export { becomeOf, HostSessions, sshTargetOf } from "./sessions.ts";
export { SshHost } from "./ssh-host.ts";
