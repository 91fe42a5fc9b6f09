import { describe, expect, it } from "vitest";
import { maskMessage } from "./mask.ts";

const masked = (message: string) => maskMessage(message).join(" ");

describe("token classes", () => {
  it.each([
    ["numbers, signed and decimal", "took 37 ms, -42 and 3.5", "took <*> ms, <*> and <*>"],
    ["hex", "at 0x7fed806eb5d and a64f992", "at <*> and <*>"],
    ["IPs and ip:port", "from 10.0.0.1 and 10.251.215.16:50010", "from <*> and <*>"],
    ["a socket address written as a path keeps its port apart", "to /10.0.0.1:3888", "to <*>:<*>"],
    ["host:port", "via proxy.cse.cuhk.edu.hk:5070", "via <*>"],
    ["host names with a number", "Resolved MSRA-SA-41.fareast.corp.microsoft.com", "Resolved <*>"],
    [
      "a numbered host with its address",
      "Old: msra-sa-41/10.190.173.170:8030 New: node-12:8030",
      "Old: <*> New: <*>",
    ],
    ["absolute paths", "open /etc/httpd/conf/workers2.properties", "open <*>"],
    ["a path as a value", "file=/var/log/x.log,", "file=<*>,"],
    ["URLs", "see https://example.com/a/b?x=1, now", "see <*>, now"],
    ["a URL before a label's colon", "x-coredata://AB-12/p1: done", "x-<*>: done"],
    ["UUIDs", "job 123e4567-e89b-12d3-a456-426614174000 done", "job <*> done"],
    ["block ids", "Served block blk_-1608999687919862906", "Served block <*>"],
    ["ids with underscores", "for appattempt_1445144423722_0020_000001", "for <*>"],
    ["sizes with units", "size 64KB", "size <*>"],
    ["ISO timestamps", "at 2024-05-01T10:00:00.123Z and 2024-05-01", "at <*> and <*>"],
    [
      "MAC addresses, letters and all",
      "DHCPDISCOVER from 00:1a:e3:ba:c3:0f via eth1",
      "DHCPDISCOVER from <*> via eth1",
    ],
    ["versions", "kernel v2.6.9 loaded", "kernel <*> loaded"],
    ["IPv6 addresses, full", "v6(en0:2607:f140:6000:8:c6b3:1ff:fecd:467f) up", "v6(en0:<*>) up"],
    ["IPv6 addresses, compressed", "via fe80::1c4b:2aff:fe3e:9b1 and fe80::", "via <*> and <*>"],
    [
      "not IPv6: a time, a C++ name, hex words without a digit",
      "12:30:01 Foo::bar add::bead",
      "<*>:<*>:<*> Foo::bar add::bead",
    ],
    ["dates written out: one value (see spans.ts)", "at Sat Jul  9 22:53:22 2005", "at <*>"],
    ["a day or month name alone", "on Sat, in Jul", "on <*>, in <*>"],
    ["host names without a number", "from (mail.example.com) ok", "from (<*>) ok"],
    [
      "booleans, null and the default user names",
      "flag true (false) null for root",
      "flag <*> (<*>) <*> for <*>",
    ],
    ["key=value keeps the key", "(HWID=1973)", "(HWID=<*>)"],
    ["a file and line keeps the file", "[ib_sm_sweep.c:1831]:", "[ib_sm_sweep.c:<*>]:"],
    ["separators between numbers stay", "steps 1##2##3 at 10:20", "steps <*>##<*>##<*> at <*>:<*>"],
  ])("%s", (_name, message, expected) => {
    expect(masked(message)).toBe(expected);
  });

  it("keeps names with one digit after a letter, which are not counts", () => {
    expect(masked("port 22 ssh2 on eth1 via log4j")).toBe("port <*> ssh2 on eth1 via log4j");
  });

  it("keeps words, punctuation and dotted class names", () => {
    expect(masked("Registering class org.apache.hadoop.mapreduce.jobhistory.EventType")).toBe(
      "Registering class org.apache.hadoop.mapreduce.jobhistory.EventType",
    );
    expect(masked("VM Started")).toBe("VM Started");
    expect(masked("set mapreduce.task.id to 3")).toBe("set mapreduce.task.id to <*>");
  });

  it("splits at any whitespace and drops empty tokens", () => {
    expect(maskMessage("  a\t b  12 ")).toEqual(["a", "b", "<*>"]);
  });
});
