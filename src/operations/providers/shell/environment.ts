/** The PATH a command gets when the server has none (a service started with an empty environment). */
const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

/**
 * What a `shell.run` command inherits from the server without `inherit_env: true`: where programs
 * are (PATH), whose home it is (HOME), and how to print text and times (LANG, LC_*, TZ) — none of
 * them secret, all of them needed for ordinary commands to behave as at a terminal. Everything
 * else (tokens, cloud credentials, database URLs of the server) stays out; a step declares what
 * its command needs in `env:`.
 */
export function minimalEnvironment(server: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = { PATH: server.PATH || DEFAULT_PATH };
  for (const [name, value] of Object.entries(server)) {
    if (value === undefined) continue;
    if (name === "HOME" || name === "LANG" || name === "TZ" || /^LC_[A-Z]+$/.test(name)) env[name] = value;
  }
  return env;
}

/** The environment of a step's command: minimal or the server's own, then the step's `env:`. */
export function commandEnvironment(
  declared: Readonly<Record<string, string>> | undefined,
  inherit: boolean,
  server: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const base = inherit
    ? (Object.fromEntries(Object.entries(server).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >)
    : minimalEnvironment(server);
  return { ...base, ...declared };
}
