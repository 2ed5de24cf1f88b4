import { expect, test } from "bun:test";
import { redactUrl } from "./broker-url";

test("a broker URL's userinfo is hidden, whatever the password holds", () => {
  expect(redactUrl("amqp://guest:guest@127.0.0.1:5672")).toBe("amqp://***@127.0.0.1:5672");
  expect(redactUrl("amqps://u:p@ss/w@rabbit:5671/vhost")).toBe("amqps://***@rabbit:5671/vhost");
  expect(redactUrl("amqp://rabbit")).toBe("amqp://rabbit");
  expect(redactUrl("u:secret@host")).toBe("***@host");
});
