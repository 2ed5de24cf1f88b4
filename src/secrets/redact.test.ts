import { describe, expect, test } from "bun:test";
import { redactUrl, scrub, secretsOf } from "./redact";

describe("redactUrl", () => {
  test.each([
    ["mongodb://127.0.0.1:27017/todo", "mongodb://127.0.0.1:27017/todo"],
    ["mongodb://todo:s3cret@db:27017/todo", "mongodb://todo:***@db:27017/todo"],
    ["mongodb+srv://todo:s3cret@cluster0.example.net/?retryWrites=true", "mongodb+srv://todo:***@cluster0.example.net/?retryWrites=true"],
    ["mongodb://todo:s3cret@a:1,b:2,c:3/todo?replicaSet=rs0", "mongodb://todo:***@a:1,b:2,c:3/todo?replicaSet=rs0"],
    ["mongodb://todo:p%40ss%3Aword@db/", "mongodb://todo:***@db/"],
    // An unescaped '@' in the password: the last '@' ends the user info.
    ["mongodb://todo:p@ss@db/", "mongodb://todo:***@db/"],
    // A user without a password (X.509) keeps its name.
    ["mongodb://CN%3Dtodo@db/?authMechanism=MONGODB-X509", "mongodb://CN%3Dtodo@db/?authMechanism=MONGODB-X509"],
    ["mongodb://todo:@db/", "mongodb://todo:***@db/"],
    // Secrets in options.
    ["mongodb://db/?tlsCertificateKeyFilePassword=pem-pw&appName=todo", "mongodb://db/?tlsCertificateKeyFilePassword=***&appName=todo"],
    ["mongodb://db/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok", "mongodb://db/?authMechanism=MONGODB-AWS&authMechanismProperties=***"],
    // Where the user info ends is ambiguous: everything before the last '@' goes.
    ["mongodb://u/x:p?q@db/", "mongodb://***@db/"],
    ["not a url user:pw@host", "not a url user:***@host"],
    // RabbitMQ's URLs, the same way (the relay, the projection and the settings all show them so).
    ["amqp://guest:guest@127.0.0.1:5672", "amqp://guest:***@127.0.0.1:5672"],
    ["amqps://u:p@ss/w@rabbit:5671/vhost", "amqps://u:***@rabbit:5671/vhost"],
    ["amqp://rabbit", "amqp://rabbit"],
    ["amqp://rabbit/?password=hunter22", "amqp://rabbit/?password=***"],
  ])("%s", (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  test("never shows the password, whatever it holds", () => {
    for (const password of ["s3cret", "p@ss", "a:b", "x/y", "q?r", "%2F%40", "with space", "ünïcødé"]) {
      const url = `mongodb://todo:${password}@db:27017/todo?w=majority`;
      expect(redactUrl(url)).not.toContain(password);
    }
  });
});

describe("scrub", () => {
  test("replaces the URL and each secret, raw or decoded, in any message", () => {
    const url = "mongodb://todo:p%40ssw0rd@db/?tlsCertificateKeyFilePassword=pem-secret";
    expect(secretsOf(url)).toEqual(expect.arrayContaining(["p%40ssw0rd", "p@ssw0rd", "pem-secret"]));
    const message = `connect ${url} failed: bad password p@ssw0rd (raw p%40ssw0rd), key pem-secret`;
    const out = scrub(message, url);
    expect(out).toBe("connect mongodb://todo:***@db/?tlsCertificateKeyFilePassword=*** failed: bad password *** (raw ***), key ***");
  });

  test("a URL without secrets leaves text alone", () => {
    expect(scrub("server at mongodb://db/ is down", "mongodb://db/")).toBe("server at mongodb://db/ is down");
  });
});
