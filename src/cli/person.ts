import { userInfo } from "node:os";
import { InvalidInputError } from "../core/index.ts";

/**
 * Who starts a run on this machine's store: `--as NAME`, else `OPSDOJO_AS`, else the OS user.
 * Against a server the token says who (its person, else its name), so this is not asked there.
 * The name is recorded as is; the learning indicators count it as a person when it is a team
 * member's name (`opsdojo team list`), so `--as` should be the name the team knows you by.
 */
export function localPerson(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const given =
    flag ?? (env.OPSDOJO_AS !== undefined && env.OPSDOJO_AS.length > 0 ? env.OPSDOJO_AS : undefined);
  if (given !== undefined) {
    const name = given.trim();
    if (name.length === 0 || name.length > 100)
      throw new InvalidInputError(
        `${flag !== undefined ? "--as" : "OPSDOJO_AS"} must be a name of 1 to 100 characters, as \`opsdojo team list\` shows it`,
      );
    return name;
  }
  try {
    const name = userInfo().username;
    return name.length > 0 ? name : undefined;
  } catch {
    // No user entry for this uid (some containers): not recorded rather than a made-up name.
    return undefined;
  }
}
