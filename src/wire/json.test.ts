import { describe, expect, test } from "bun:test";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import { InvalidArgumentError } from "../todos/errors";
import { rfc3339ToTimestamp, timestampToRfc3339, todoFromJson, todoToJson } from "./json";
import { toProtoTodo } from "./todo-v1";

describe("proto3 JSON mapping", () => {
  test("timestamps use 0, 3, 6 or 9 fractional digits", () => {
    expect(timestampToRfc3339({ seconds: "1573228261", nanos: 0 })).toBe("2019-11-08T15:51:01Z");
    expect(timestampToRfc3339({ seconds: "1573228261", nanos: 120_000_000 })).toBe("2019-11-08T15:51:01.120Z");
    expect(timestampToRfc3339({ seconds: "1573228261", nanos: 123_456_000 })).toBe("2019-11-08T15:51:01.123456Z");
    expect(timestampToRfc3339({ seconds: "1573228261", nanos: 1 })).toBe("2019-11-08T15:51:01.000000001Z");
  });

  test("RFC 3339 parses with offsets and fractions, and refuses other formats", () => {
    expect(rfc3339ToTimestamp("t", "2019-11-08T16:51:01.5+01:00")).toEqual({ seconds: "1573228261", nanos: 500_000_000 });
    expect(() => rfc3339ToTimestamp("t", "8 Nov 2019")).toThrow(InvalidArgumentError);
    expect(() => rfc3339ToTimestamp("t", "2019-11-08")).toThrow(InvalidArgumentError);
  });

  test("a todo round-trips through JSON, omitting defaults", () => {
    const wire = toProtoTodo({
      id: "5dc58ee5d954d9bc69be5523",
      title: "ori",
      description: "",
      tags: ["job"],
      reminder: 1_573_228_261_000,
      state: "STATE_DONE",
      createTime: 1_573_228_000_000,
      updateTime: 1_573_228_100_250,
      version: 4,
      number: 0,
    });
    // toProtoTodo fills every field, so its result is also what a client receives.
    const json = todoToJson(wire as Todo__Output);
    expect(json).toEqual({
      id: "5dc58ee5d954d9bc69be5523",
      title: "ori",
      tags: ["job"],
      reminder: "2019-11-08T15:51:01Z",
      state: "STATE_DONE",
      createTime: "2019-11-08T15:46:40Z",
      updateTime: "2019-11-08T15:48:20.250Z",
      etag: "4",
    });
    expect(todoFromJson(JSON.parse(JSON.stringify(json)))).toEqual({
      id: "5dc58ee5d954d9bc69be5523",
      title: "ori",
      description: "",
      tags: ["job"],
      reminder: { seconds: "1573228261", nanos: 0 },
      state: "STATE_DONE",
      create_time: { seconds: "1573228000", nanos: 0 },
      update_time: { seconds: "1573228100", nanos: 250_000_000 },
    });
  });

  test("malformed lines are named", () => {
    expect(() => todoFromJson([])).toThrow("todo: must be a JSON object");
    expect(() => todoFromJson({ title: 5 })).toThrow("title: must be a string");
    expect(() => todoFromJson({ tags: "a,b" })).toThrow("tags: must be an array of strings");
  });

  test("a state is the enum's name or the CLI's spelling of it; anything else is refused, not made NOT_STARTED", () => {
    expect(todoFromJson({ title: "t", state: "DONE" }).state).toBe("STATE_DONE");
    expect(todoFromJson({ title: "t", state: "STATE_IN_PROGRESS" }).state).toBe("STATE_IN_PROGRESS");
    expect(todoFromJson({ title: "t" }).state).toBe("STATE_UNSPECIFIED");
    for (const bad of ["BOGUS", "", "done", "STATE_UNSPECIFIED"]) expect(() => todoFromJson({ title: "t", state: bad })).toThrow(`state: ${JSON.stringify(bad)} is not one of`);
  });

  test("a day that is not in the calendar is refused, not moved into the next month", () => {
    for (const bad of ["2026-02-30T10:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00+02:00", "2026-13-01T00:00:00Z"])
      expect(() => rfc3339ToTimestamp("reminder", bad)).toThrow(`reminder: "${bad}" is not an RFC 3339 time`);
    expect(rfc3339ToTimestamp("reminder", "2028-02-29T00:00:00Z").seconds).toBe(String(Date.UTC(2028, 1, 29) / 1000));
  });

  test("an unbounded value is echoed cut short", () => {
    const long = "x".repeat(100_000);
    const message = (() => {
      try {
        rfc3339ToTimestamp("reminder", long);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toBe(`reminder: "${"x".repeat(48)}"… (100000 characters) is not an RFC 3339 time such as 2026-11-27T09:00:00Z`);
  });
});
