import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TemplateMiner } from "./miner.ts";
import { extractParameters } from "./parameters.ts";

const text = (miner: TemplateMiner, id: number) => miner.template(id)?.tokens.join(" ");

describe("TemplateMiner", () => {
  it("groups messages by their shape and counts them", () => {
    const miner = new TemplateMiner();
    const a = miner.add("Served block blk_-12 to /10.0.0.1");
    const b = miner.add("Served block blk_77 to /10.0.0.2");
    const c = miner.add("Deleting block blk_77 file /data/blk_77");
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(text(miner, a)).toBe("Served block <*> to <*>");
    expect(miner.template(a)?.count).toBe(2);
    expect(miner.size).toBe(2);
  });

  it("keeps activities apart: a few different words in one place are not a parameter", () => {
    const miner = new TemplateMiner();
    const ids = ["VM Started", "VM Paused", "VM Resumed", "VM Stopped"].map((m) =>
      miner.add(`[instance: 7] ${m}`),
    );
    // Four words are four activities; a fifth different word makes the place a parameter.
    expect(new Set(ids).size).toBe(4);
    const merged = new TemplateMiner();
    const users = ["alice", "bob", "carol", "dave", "erin"].map((u) =>
      merged.add(`Invalid user ${u} from 10.0.0.1`),
    );
    expect(new Set(users.map((id) => merged.resolve(id))).size).toBe(1);
    expect(merged.templates().map((t) => t.tokens.join(" "))).toEqual(["Invalid user <*> from <*>"]);
  });

  it("takes two different words after `user` as one user-name parameter", () => {
    const miner = new TemplateMiner();
    const a = miner.add("session opened for user cyrus by (uid=0)");
    const b = miner.add("session opened for user news by (uid=0)");
    expect(miner.resolve(a)).toBe(miner.resolve(b));
    expect(text(miner, a)).toBe("session opened for user <*> by (uid=<*>)");
    // A word seen alone after `user` stays; after another word two stay two.
    expect(miner.add("check pass; user unknown")).not.toBe(miner.resolve(a));
    expect(text(miner, miner.add("check pass; user unknown"))).toBe("check pass; user unknown");
    const c = miner.add("session opened for group wheel by (uid=0)");
    const d = miner.add("session opened for group staff by (uid=0)");
    expect(c).not.toBe(d);
  });

  it("never merges on the first word, the action of a message", () => {
    const miner = new TemplateMiner();
    const ids = ["boot", "wait", "halt", "risBoot", "clusterAddMember"].map((w) =>
      miner.add(`${w} (command 2104)`),
    );
    expect(new Set(ids).size).toBe(5);
  });

  it("merges on the first word when every one is a dotted name, who speaks rather than what happens", () => {
    const miner = new TemplateMiner();
    const jobs = [
      "com.example.cache.daily",
      "com.example.sync.hourly",
      "com.example.Mail.fetch",
      "com.example.a.b",
    ];
    const ids = [...jobs, "com.example.ical.x-coredata://AB-12/p1"].map((job) =>
      miner.add(`${job}: told me to run this job in 30 seconds`),
    );
    expect(new Set(ids.map((id) => miner.resolve(id))).size).toBe(1);
    expect(text(miner, ids[0] ?? 0)).toBe("com.example.<*>: told me to run this job in <*> seconds");
    // Five different first words that are not all dotted names stay apart.
    const mixed = new TemplateMiner();
    const kept = ["com.example.cache.daily", "boot", "halt", "wait", "com.example.sync.hourly"].map((w) =>
      mixed.add(`${w}: told me to run this job in 30 seconds`),
    );
    expect(new Set(kept.map((id) => mixed.resolve(id))).size).toBe(5);
  });

  it("takes different values of one key as one parameter (name=android, name=com.android.phone)", () => {
    const miner = new TemplateMiner();
    const a = miner.add("acquire lock=233570404, name=android, uid=1000");
    const b = miner.add("acquire lock=1, name=com.android.phone, uid=1001");
    expect(miner.resolve(a)).toBe(miner.resolve(b));
    expect(text(miner, a)).toBe("acquire lock=<*>, name=<*>, uid=<*>");
  });

  it("takes an empty value as a value: () and (host)", () => {
    const miner = new TemplateMiner();
    const a = miner.add("connection from 10.0.0.1 () at Sat Jul  9 22:53:22 2005");
    const b = miner.add("connection from 10.0.0.2 (mail.example.com) at Sun Jul 10 03:35:35 2005");
    expect(b).toBe(a);
    expect(text(miner, a)).toBe("connection from <*> (<*>) at <*>");
  });

  it("lets a template with a parameter take in messages with a word there", () => {
    const miner = new TemplateMiner();
    const root = miner.add("Failed password for root from 10.0.0.1 port 22 ssh2");
    const ftp = miner.add("Failed password for ftp from 10.0.0.1 port 22 ssh2");
    expect(ftp).toBe(root);
    expect(text(miner, root)).toBe("Failed password for <*> from <*> port <*> ssh2");
  });

  it("keeps every id it handed out: merged ones lead to the survivor", () => {
    const miner = new TemplateMiner();
    const users = ["alice", "bob", "carol", "dave", "erin"];
    const ids = users.map((u) => miner.add(`session opened for ${u} by sshd`));
    // The fifth user makes the place a parameter: template 5 is made and merged into 1 at once.
    expect(ids).toEqual([1, 2, 3, 4, 1]);
    for (const id of [1, 2, 3, 4, 5]) expect(miner.resolve(id)).toBe(1);
    expect(miner.template(2)?.id).toBe(1);
    expect(miner.template(1)?.count).toBe(5);
    expect(miner.state().aliases).toEqual({ "2": 1, "3": 1, "4": 1, "5": 1 });
  });

  it("peeks without learning", () => {
    const miner = new TemplateMiner();
    miner.add("Connection closed by 10.0.0.1 [preauth]");
    expect(miner.peek("Connection closed by 10.9.9.9 [preauth]")?.count).toBe(1);
    expect(miner.peek("Something else entirely")).toBeUndefined();
    expect(miner.size).toBe(1);
  });

  it("continues from its state with the same ids and templates", () => {
    const first = new TemplateMiner();
    const a = first.add("Served block blk_1 to /10.0.0.1");
    const b = first.add("Receiving block blk_2 src: /10.0.0.2:50010");
    const state = JSON.parse(JSON.stringify(first.state("<Content>")));
    const again = TemplateMiner.fromState(state);
    expect(again.add("Receiving block blk_9 src: /10.0.0.9:50010")).toBe(b);
    expect(again.add("Served block blk_8 to /10.0.0.8")).toBe(a);
    const fresh = again.add("A new kind of message");
    expect(fresh).toBeGreaterThan(Math.max(a, b));
    expect(again.template(a)?.count).toBe(2);
  });

  it("knows one value written in several ways: units, a second unit in parentheses, a duration", () => {
    const miner = new TemplateMiner();
    const a = miner.add("chrome.exe close, 1234 bytes sent, 42 bytes received, lifetime 00:02");
    const b = miner.add("chrome.exe close, 1234 bytes (1.20 KB) sent, 42 bytes received, lifetime <1 sec");
    const c = miner.add("Reading broadcast variable 3 took 12 ms");
    expect(b).toBe(a);
    expect(text(miner, a)).toBe("chrome.exe close, <*> sent, <*> received, lifetime <*>");
    // Written one way only, a value keeps its unit.
    expect(text(miner, c)).toBe("Reading broadcast variable <*> took <*> ms");
    expect(miner.add("chrome.exe close, 9 bytes sent, 7 bytes (7.00 KB) received, lifetime 01:02")).toBe(a);
  });

  it("takes a list of values of any length as one parameter (the Drain3 #109 trap)", () => {
    const miner = new TemplateMiner();
    const one = miner.add("BLOCK* ask 10.250.14.38:50010 to delete blk_-6952295868487656571");
    const three = miner.add("BLOCK* ask 10.250.14.38:50010 to delete blk_1 blk_2 blk_-3");
    const two = miner.add("BLOCK* ask 10.250.14.39:50010 to delete blk_7 blk_8");
    expect([three, two]).toEqual([one, one]);
    expect(text(miner, one)).toBe("BLOCK* ask <*> to delete <*>");
    // A fixed number of values in one message shape stays as it is.
    const fan = miner.add("Fan speeds ( 3552 3534 3375 4245 3515 3479 )");
    expect(text(miner, fan)).toBe("Fan speeds ( <*> <*> <*> <*> <*> <*> )");
  });

  it("extracts the parameters of a message", () => {
    const miner = new TemplateMiner();
    const id = miner.add("Component State Change: Component alt0 is in the unavailable state (HWID=1973)");
    const template = miner.template(id);
    if (template === undefined) throw new Error("no template");
    expect(
      extractParameters(
        template,
        "Component State Change: Component alt0 is in the unavailable state (HWID=2)",
      ),
    ).toEqual(["2"]);
    expect(extractParameters(template, "too short")).toEqual([]);
  });

  it("stays consistent on any stream: every id leads to a live template, states round-trip", () => {
    // Small vocabularies make merges, siblings and absorptions frequent.
    const word = fc.constantFrom(
      "VM",
      "user",
      "alice",
      "bob",
      "42",
      "7",
      "KB",
      "(3",
      "B)",
      "x=1",
      "x=a",
      "<1",
      "sec",
      "00:02",
    );
    const message = fc.array(word, { minLength: 0, maxLength: 6 }).map((w) => w.join(" "));
    fc.assert(
      fc.property(fc.array(message, { maxLength: 60 }), (messages) => {
        const miner = new TemplateMiner();
        const ids = messages.map((m) => miner.add(m));
        const live = new Set(miner.templates().map((t) => t.id));
        for (const id of ids) expect(live.has(miner.resolve(id))).toBe(true);
        expect(miner.templates().reduce((n, t) => n + t.count, 0)).toBe(messages.length);
        const again = TemplateMiner.fromState(JSON.parse(JSON.stringify(miner.state())));
        expect(again.templates()).toEqual(miner.templates());
        // The reloaded miner knows every message again: each lands on a live template.
        for (const m of messages) expect(again.template(again.add(m))).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});
