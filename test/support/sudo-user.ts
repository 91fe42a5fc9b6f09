import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A login user whose sudo asks a password, and who may become only `nobody`. */
export interface SudoUser {
  readonly name: string;
  readonly password: string;
  /** The user sudo lets it become. */
  readonly becomes: string;
  readonly becomesUid: number;
}

const NAME = "opsdojo-become";
// Known to the tests only: the user can log in with a key alone (sshd's test servers refuse
// passwords), and sudo lets it run commands as `nobody`, nothing more.
const PASSWORD = "opsdojo-become-test-password";
const RULES = "/etc/sudoers.d/opsdojo-become-test";

/**
 * Creates (or refreshes) the test's sudo user. Needs root and sudo, as CI has (.ci/run
 * installs sudo); fails, never skips, without them.
 */
export async function ensureSudoUser(): Promise<SudoUser> {
  if (process.getuid?.() !== 0) throw new Error("the become tests create a user: run them as root (CI does)");
  await run("sudo", ["-V"]).catch(() => {
    throw new Error("sudo is missing: install it (apt-get install sudo; .ci/run does)");
  });
  const exists = await run("id", ["-u", NAME]).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await run("useradd", ["--create-home", "--shell", "/bin/sh", NAME]).catch(async (error: unknown) => {
      // Another test file may have created it in the meantime.
      if (
        !(await run("id", ["-u", NAME]).then(
          () => true,
          () => false,
        ))
      )
        throw error;
    });
  }
  const chpasswd = run("chpasswd");
  chpasswd.child.stdin?.end(`${NAME}:${PASSWORD}\n`);
  await chpasswd;
  await writeFile(RULES, `${NAME} ALL=(nobody) ALL\n`, { mode: 0o440 });
  await run("visudo", ["-c", "-f", RULES]);
  const { stdout } = await run("id", ["-u", "nobody"]);
  return { name: NAME, password: PASSWORD, becomes: "nobody", becomesUid: Number(stdout.trim()) };
}
