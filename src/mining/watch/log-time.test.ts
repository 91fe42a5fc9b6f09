import { describe, expect, it } from "vitest";
import { LogClock } from "./log-clock.ts";
import { logTimeReader, parseLogTime } from "./log-time.ts";

describe("parseLogTime", () => {
  it.each([
    ["081109 203615", "2008-11-09T20:36:15.000Z"],
    ["Dec 10 06:55:46", "2000-12-10T06:55:46.000Z"],
    ["03-17 16:13:38.811", "2000-03-17T16:13:38.811Z"],
    ["Sun Dec 04 04:47:44 2005", "2005-12-04T04:47:44.000Z"],
    ["20171223-22:15:29:606", "2017-12-23T22:15:29.606Z"],
    ["17/06/09 20:10:40", "2017-06-09T20:10:40.000Z"],
    ["10.30 16:49:06", "2000-10-30T16:49:06.000Z"],
    ["2015-10-18 18:01:47,978", "2015-10-18T18:01:47.978Z"],
    ["1131566461", "2005-11-09T20:01:01.000Z"],
  ])("reads %s in UTC", (text, iso) => {
    expect(new Date(parseLogTime(text) as number).toISOString()).toBe(iso);
  });

  it("leaves text it does not know to no time rather than a guess by the machine's zone", () => {
    expect(parseLogTime("yesterday at noon")).toBeUndefined();
    expect(parseLogTime("Foo 10 06:55:46")).toBeUndefined();
  });

  it("prefers a Timestamp field, else joins Date, Day and Time", () => {
    expect(logTimeReader(["Level", "Content"])).toBeUndefined();
    const read = logTimeReader(["Date", "Day", "Time", "Content"]);
    expect(read?.({ Date: "Dec", Day: "10", Time: "06:55:46" })).toBe(Date.UTC(2000, 11, 10, 6, 55, 46));
  });
});

describe("LogClock", () => {
  it("never goes back, and moves on with the wall clock while no line comes", () => {
    let wall = 1_000_000;
    const clock = new LogClock({ now: () => new Date(wall) });
    clock.advanceTo(5000);
    expect(clock.now().getTime()).toBe(5000);
    wall += 3000;
    expect(clock.now().getTime()).toBe(8000);
    clock.advanceTo(6000); // a line a little behind the moved-on time
    expect(clock.now().getTime()).toBe(8000);
    const replay = new LogClock();
    replay.advanceTo(100);
    replay.advanceTo(50);
    expect(replay.now().getTime()).toBe(100);
  });
});
