export { type Become, type BecomeSetting, becomeFrom, checkBecome } from "./become.ts";
export { connectSsh, defaultKnownHosts, type SshEndpoint, type SshOptions } from "./connect.ts";
export {
  BecomeFailedError,
  HostKeyChangedError,
  HostKeyUnknownError,
  HostUnreachableError,
  RemoteSettingsError,
} from "./errors.ts";
export {
  execRemote,
  type RemoteExecOptions,
  type RemoteExecResult,
  shellQuote,
  wrapRemoteCommand,
} from "./exec.ts";
export {
  describeRecordedHostKey,
  fingerprintOf,
  type HostKeyRecord,
  type HostKeyVerdict,
  judgeHostKey,
  type KnownHost,
  keyTypeLabel,
  knownHostName,
  parseKnownHosts,
  readKnownHosts,
  recordHostKey,
} from "./known-hosts.ts";
export { type PoolOptions, SshPool, type SshTarget } from "./pool.ts";
export { RemoteFs, type RemoteStat } from "./sftp.ts";
