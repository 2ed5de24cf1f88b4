// todo.v1.Todo encoded straight from the domain's record, by hand, for the daemon, and a page of them
// decoded by hand, for the client: the protobuf wire format of proto/todo/v1/resources.proto's Todo,
// proto3's defaults left out. SearchTodos sends pages of a
// thousand todos; through protobufjs (fromObject from proto-loader's shapes: int64s as strings, then
// encode) each todo cost ~10 µs, and was encoded twice (once to weigh the page, once to send it), where
// this takes ~1 µs and once (docs/performance.md, "Streams and lists"). Any protobuf decoder reads it
// back as toProtoTodo's message (src/wire/todo-bytes.test.ts holds that).
import type { Timestamp__Output } from "../proto/gen/types/google/protobuf/Timestamp";
import type { SearchTodosResponse__Output } from "../proto/gen/types/todo/v1/SearchTodosResponse";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoRecord } from "../todos/model";
import { etagOf } from "../todos/rules";
import { STATES } from "../vocabulary/todo";

/** Todo.State's numbers in resources.proto follow STATES: NOT_STARTED is 1 (0 is STATE_UNSPECIFIED). */
const STATE_NUMBER = new Map<string, number>(STATES.map((state, i) => [state, i + 1]));

/** A growable buffer of wire-format bytes. */
class Writer {
  private buffer = Buffer.allocUnsafe(4096);
  length = 0;

  private room(bytes: number) {
    if (this.length + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  /** A varint of a non-negative safe integer, or of a negative one as int64 (ten bytes, two's complement). */
  varint(value: number) {
    this.room(10);
    if (value < 0) {
      let big = BigInt.asUintN(64, BigInt(value));
      while (big > 127n) {
        this.buffer[this.length++] = Number(big & 127n) | 128;
        big >>= 7n;
      }
      this.buffer[this.length++] = Number(big);
      return;
    }
    while (value > 127) {
      this.buffer[this.length++] = (value % 128) | 128;
      value = Math.floor(value / 128);
    }
    this.buffer[this.length++] = value;
  }

  /** A string field (wire type 2); proto3 leaves out the empty string unless `always` (a repeated one). */
  string(field: number, text: string, always = false) {
    if (!text && !always) return;
    this.varint((field << 3) | 2);
    const bytes = Buffer.byteLength(text);
    this.varint(bytes);
    this.room(bytes);
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  /** A google.protobuf.Timestamp field of `ms` since the epoch. */
  timestamp(field: number, ms: number) {
    const seconds = Math.floor(ms / 1000);
    const nanos = (ms - seconds * 1000) * 1_000_000;
    // Its length: the two varints' sizes, each with its one-byte key.
    const size = (seconds === 0 ? 0 : 1 + varintSize(seconds)) + (nanos === 0 ? 0 : 1 + varintSize(nanos));
    this.varint((field << 3) | 2);
    this.varint(size);
    if (seconds !== 0) {
      this.varint(1 << 3);
      this.varint(seconds);
    }
    if (nanos !== 0) {
      this.varint(2 << 3);
      this.varint(nanos);
    }
  }

  /** The bytes written so far, copied out, and the writer emptied. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    this.buffer.copy(out, 0, 0, this.length);
    this.length = 0;
    return out;
  }

  /** The bytes written so far as a length-delimited field numbered `field` (key, length, bytes), copied out; the writer emptied. */
  takeAsField(field: number): Buffer {
    const key = (field << 3) | 2;
    const out = Buffer.allocUnsafe(varintSize(key) + varintSize(this.length) + this.length);
    const at = putVarint(out, putVarint(out, 0, key), this.length);
    this.buffer.copy(out, at, 0, this.length);
    this.length = 0;
    return out;
  }
}

/** Writes a non-negative varint at `at`; returns where it ends. */
function putVarint(out: Buffer, at: number, value: number): number {
  while (value > 127) {
    out[at++] = (value % 128) | 128;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}

function varintSize(value: number): number {
  if (value < 0) return 10;
  let size = 1;
  while (value > 127) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

const writer = new Writer();

/**
 * The todo as one element of a repeated Todo field numbered `field` (its key, its length, its bytes):
 * SearchTodosResponse.todos is field 1, and a page is these, one after another, then its token.
 */
export function encodeTodoField(todo: TodoRecord, field = 1): Buffer {
  writeTodo(todo);
  return writer.takeAsField(field);
}

/** The todo's protobuf bytes, as toProtoTodo's message encodes. */
export function encodeTodo(todo: TodoRecord): Buffer {
  writeTodo(todo);
  return writer.take();
}

function writeTodo(todo: TodoRecord) {
  writer.string(1, todo.id);
  writer.string(2, todo.title);
  writer.string(3, todo.description);
  for (const tag of todo.tags) writer.string(4, tag, true);
  if (todo.reminder !== null) writer.timestamp(5, todo.reminder);
  const state = STATE_NUMBER.get(todo.state) ?? 0;
  if (state !== 0) {
    writer.varint(6 << 3);
    writer.varint(state);
  }
  writer.timestamp(7, todo.createTime);
  writer.timestamp(8, todo.updateTime);
  writer.string(9, etagOf(todo.version));
  if (todo.number) {
    writer.varint(10 << 3);
    writer.varint(todo.number);
  }
}

/** A page of SearchTodosResponse: the todos' fields (encodeTodoField) and the next page's token. */
export function encodeSearchPage(todoFields: readonly Buffer[], nextPageToken: string): Buffer {
  writer.string(2, nextPageToken);
  const token = writer.take();
  return Buffer.concat([...todoFields, token]);
}

/** Protobuf bytes read field by field. Malformed input throws (the client reports the answer undecodable). */
class Reader {
  pos: number;
  constructor(
    readonly buffer: Buffer,
    start: number,
    /** Where the message being read ends: a nested one's end while it is read. */
    public end: number,
  ) {
    this.pos = start;
  }

  /** Enters the length-delimited message at the position; returns the end to leave() it for. */
  enter(): number {
    const length = this.uint32();
    const outer = this.end;
    if (this.pos + length > outer) throw new Error("a field runs past the end of the message");
    this.end = this.pos + length;
    return outer;
  }

  /** Carries on after the message entered, in the one around it (which ends at `outer`). */
  leave(outer: number) {
    this.pos = this.end;
    this.end = outer;
  }

  /** A varint up to 32 bits, as uint32 (keys, lengths, enums). */
  uint32(): number {
    // Most are one byte (every key, short strings' lengths): the rest take the loop.
    const first = this.buffer[this.pos]!;
    if (first < 128 && this.pos < this.end) {
      this.pos++;
      return first;
    }
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error("a varint runs past the end of the message");
      const byte = this.buffer[this.pos++]!;
      if (i < 5) value += (byte & 127) * scale;
      scale *= 128;
      if (byte < 128) return value % 2 ** 32;
    }
    throw new Error("a varint longer than 10 bytes");
  }

  /** A 64-bit varint as proto-loader gives it: a decimal string, signed for int64, unsigned for uint64. */
  long(signed: boolean): string {
    const start = this.pos;
    let value = 0;
    let scale = 1;
    // Up to 7 bytes (49 bits) in a double; beyond, and so every negative int64, in a BigInt.
    for (let i = 0; i < 7 && this.pos < this.end; i++) {
      const byte = this.buffer[this.pos++]!;
      value += (byte & 127) * scale;
      scale *= 128;
      if (byte < 128) return String(value);
    }
    this.pos = start;
    let big = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.pos >= this.end || shift > 63n) throw new Error("a malformed 64-bit varint");
      const byte = this.buffer[this.pos++]!;
      big |= BigInt(byte & 127) << shift;
      if (byte < 128) break;
    }
    return String(signed ? BigInt.asIntN(64, big) : BigInt.asUintN(64, big));
  }

  string(): string {
    const length = this.uint32();
    const start = this.pos;
    if (start + length > this.end) throw new Error("a field runs past the end of the message");
    this.pos += length;
    return this.buffer.toString("utf8", start, this.pos);
  }

  /** Passes over a field of an unknown number. */
  skip(wireType: number) {
    if (wireType === 0) this.long(false);
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) {
      const length = this.uint32();
      this.pos += length;
    }
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`wire type ${wireType} is not used by todo.v1`);
    if (this.pos > this.end) throw new Error("a field runs past the end of the message");
  }
}

const STATE_NAME = ["STATE_UNSPECIFIED", ...STATES] as const;

/** The Timestamp message at the reader's position. */
function readTimestamp(r: Reader): Timestamp__Output {
  const outer = r.enter();
  const ts = { seconds: "0", nanos: 0 };
  while (r.pos < r.end) {
    const key = r.uint32();
    if (key === 1 << 3) ts.seconds = r.long(true);
    else if (key === 2 << 3) ts.nanos = Number(r.long(true));
    else r.skip(key & 7);
  }
  r.leave(outer);
  return ts;
}

/** The Todo message at the reader's position. */
function readTodo(r: Reader): Todo__Output {
  const outer = r.enter();
  const todo: Todo__Output = { id: "", title: "", description: "", tags: [], reminder: null, state: "STATE_UNSPECIFIED", create_time: null, update_time: null, etag: "", number: "0" };
  while (r.pos < r.end) {
    const key = r.uint32();
    switch (key) {
      case (1 << 3) | 2:
        todo.id = r.string();
        break;
      case (2 << 3) | 2:
        todo.title = r.string();
        break;
      case (3 << 3) | 2:
        todo.description = r.string();
        break;
      case (4 << 3) | 2:
        todo.tags.push(r.string());
        break;
      case (5 << 3) | 2:
        todo.reminder = readTimestamp(r);
        break;
      case 6 << 3: {
        const state = r.uint32();
        // An unknown number stays a number, as protobufjs's toObject leaves it.
        todo.state = (STATE_NAME[state] ?? state) as Todo__Output["state"];
        break;
      }
      case (7 << 3) | 2:
        todo.create_time = readTimestamp(r);
        break;
      case (8 << 3) | 2:
        todo.update_time = readTimestamp(r);
        break;
      case (9 << 3) | 2:
        todo.etag = r.string();
        break;
      case 10 << 3:
        todo.number = r.long(false);
        break;
      default:
        r.skip(key & 7);
    }
  }
  r.leave(outer);
  return todo;
}

/**
 * A SearchTodosResponse read straight into the shapes proto-loader gives (src/cli/codec.ts): the client
 * reads pages of a thousand todos, and protobufjs (decode, then toObject turning int64s into strings)
 * took most of its time for each.
 */
export function decodeSearchPage(bytes: Uint8Array): SearchTodosResponse__Output {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new Reader(buffer, 0, buffer.length);
  const page: SearchTodosResponse__Output = { todos: [], next_page_token: "" };
  while (r.pos < r.end) {
    const key = r.uint32();
    if (key === ((1 << 3) | 2)) page.todos.push(readTodo(r));
    else if (key === ((2 << 3) | 2)) page.next_page_token = r.string();
    else r.skip(key & 7);
  }
  return page;
}
