import { createRequire } from "node:module";
import type { Client, ClientChannel, SFTPWrapper } from "ssh2";
import { type Become, becomePreamble, checkBecome, sudoCommand, sudoReason } from "./become.ts";
import { BecomeFailedError, HostUnreachableError } from "./errors.ts";

/**
 * ssh2's SFTP client as far as it is used here. Its public `client.sftp()` only asks sshd for
 * the `sftp` subsystem, which runs as the login user. The client class itself only needs
 * something that carries its packets, so it is fed an exec channel running OpenSSH's
 * sftp-server under sudo instead. ssh2 exports the class from a path, not its index: the
 * become tests (become.test.ts) fail first if a new ssh2 changes that.
 */
interface SftpClient {
  push(data: Buffer | null): void;
  _init(): void;
  on(event: "ready", listener: () => void): void;
  emit(event: string, ...args: unknown[]): boolean;
}
type SftpConstructor = new (client: unknown, chanInfo: unknown, cfg: Record<string, unknown>) => SftpClient;

const { SFTP } = createRequire(import.meta.url)("ssh2/lib/protocol/SFTP.js") as { SFTP: SftpConstructor };

/** Where distributions put OpenSSH's sftp-server (Debian, Fedora/RHEL, Arch, SUSE, BSD). */
const SFTP_SERVERS = [
  "/usr/lib/openssh/sftp-server",
  "/usr/libexec/openssh/sftp-server",
  "/usr/lib/ssh/sftp-server",
  "/usr/lib/ssh2/sftp-server",
  "/usr/libexec/sftp-server",
];

const FIND_SERVER =
  `for p in ${SFTP_SERVERS.join(" ")}; do [ -x "$p" ] && exec "$p"; done; ` +
  `echo "no sftp-server found (looked in ${SFTP_SERVERS.join(", ")})" >&2; exit 127`;

/** An SFTP session whose server runs as `become.user`: files are read and written as that user. */
export async function sftpAs(client: Client, host: string, become: Become): Promise<SFTPWrapper> {
  checkBecome(host, become);
  const channel = await new Promise<ClientChannel>((resolve, reject) => {
    client.exec(sudoCommand(become, `sh -c '${FIND_SERVER}'`), (error, stream) => {
      if (error)
        reject(new HostUnreachableError(host, `no SFTP session: ${error.message}`, { cause: error }));
      else resolve(stream);
    });
  });
  // The SFTP client writes through `_protocol.channelData`; the exec channel does the SSH
  // windowing itself, so the client is given a window it never exhausts.
  const carrier = {
    _protocol: {
      _remoteIdentRaw: "SSH-2.0-OpenSSH",
      channelData: (_id: number, data: Buffer) => channel.write(Buffer.from(data)),
      channelClose: () => channel.end(),
    },
  };
  const sftp = new SFTP(
    carrier,
    {
      type: "session",
      incoming: { id: 0, window: Number.MAX_SAFE_INTEGER, packetSize: 32 * 1024, state: "open" },
      outgoing: { id: 0, window: Number.MAX_SAFE_INTEGER, packetSize: 32 * 1024, state: "open" },
    },
    {},
  );
  let stderr = "";
  channel.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  channel.on("data", (chunk: Buffer) => sftp.push(chunk));
  channel.on("end", () => sftp.push(null));
  channel.on("close", () => sftp.emit("close"));
  await new Promise<void>((resolve, reject) => {
    const failed = () => reject(new BecomeFailedError(host, become.user, sudoReason(stderr)));
    channel.once("close", failed);
    sftp.on("ready", () => {
      channel.off("close", failed);
      resolve();
    });
    // The password line goes before the SFTP hello: the login shell reads it, then sudo starts
    // sftp-server, which sees only SFTP packets.
    channel.write(becomePreamble(become));
    sftp._init();
  });
  return sftp as unknown as SFTPWrapper;
}
