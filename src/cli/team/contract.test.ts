import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type RunningServer, serve } from "../../server/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { addMember, listMembers, removeMember } from "../commands/team.ts";
import type { Session } from "../context.ts";
import { describeFailure } from "../exit-codes.ts";
import { type CommandResult, styleFor } from "../output.ts";
import { type MembersBackend, remoteMembers, withMembers } from "./members.ts";

/**
 * The contract of the members backends: one store, changed and read directly and through a real
 * server on loopback serving it; `team add`, `list` and `remove` print the same either way.
 */
let store: Store;
let server: RunningServer;
let home: string;
const plain = styleFor(false);
const printed = (r: CommandResult) => ({ json: JSON.parse(JSON.stringify(r.json)), text: r.text(plain) });

beforeAll(async () => {
  home = await tempDir();
  store = await openStore({ home });
  server = await serve({ store, host: "127.0.0.1", port: 0, services: ["gamedays-team"], logger: false });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await store?.close();
  await removeTempDirs();
});

const local = <T>(task: (m: MembersBackend) => Promise<T>) => {
  const session: Session = { env: { OPSDOJO_HOME: home }, warnings: [] };
  return withMembers(session, {}, "opsdojo team", task);
};
const remote = <T>(task: (m: MembersBackend) => Promise<T>) =>
  task(remoteMembers({ url: server.url, token: server.login.token, warn: () => {} }));
const both = async <T>(task: (m: MembersBackend) => Promise<T>): Promise<[T, T]> => [
  await local(task),
  await remote(task),
];

describe("team members: local store and server", () => {
  it("add, list and remove print the same on both", async () => {
    const here = await local((m) => addMember(m, "alice", { class: "sysadmin", skills: "linux,networking" }));
    const there = await remote((m) => addMember(m, "bob", { class: "sysadmin", skills: "linux,networking" }));
    const id = (r: CommandResult) => (r.json as { id: string }).id;
    expect(there.text(plain).replace("bob", "alice").replace(id(there), "ID")).toBe(
      here.text(plain).replace(id(here), "ID"),
    );
    const [listedHere, listedThere] = await both((m) => listMembers(m, {}));
    expect(printed(listedThere)).toEqual(printed(listedHere));
    expect(listedHere.text(plain)).toContain("alice");
    expect(listedHere.text(plain)).toContain("bob");

    const removed = await remote((m) => removeMember(m, "alice"));
    expect(removed.text(plain)).toContain("removed alice");
    const [all, allThere] = await both((m) => listMembers(m, { showDeleted: true }));
    expect(printed(allThere)).toEqual(printed(all));
    expect(all.text(plain)).toContain("alice (removed)");
    const [sysadmins, sysadminsThere] = await both((m) => listMembers(m, { class: "sysadmin" }));
    expect(printed(sysadminsThere)).toEqual(printed(sysadmins));
  });

  it("a member who does not exist reads the same, by name and by id", async () => {
    for (const ref of ["nobody", "mem_01nothing"]) {
      const [a, b] = await both((m) =>
        m.find(ref).then(
          () => undefined,
          (error: unknown) => describeFailure(error),
        ),
      );
      expect(b, ref).toEqual(a);
      expect(a?.message, ref).toContain("does not exist");
    }
  });
});
