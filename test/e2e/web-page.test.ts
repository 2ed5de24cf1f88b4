// The web page at `/` (src/web/) in headless Chromium, Debian's `chromium` driven by puppeteer-core,
// against the compiled daemon with a token: a person signs in, adds a todo, completes it, edits it
// (meeting a change made elsewhere), searches, deletes, sees a todo added with the CLI appear without a
// reload, and signs out. The page comes with its Content-Security-Policy, and nothing goes to the
// console as an error and nothing violates the policy on the way. TODO_SCREENSHOTS=1 saves the page at
// phone and desktop width to docs/web-page-phone.png and docs/web-page-desktop.png.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { PAGE_CSP, PAGE_FILES } from "../../src/web/page";
import { ROOT } from "../support/binary";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { steps } from "../support/steps";
import { tempDirs } from "../support/temp";
import { scaled } from "../support/time";
import { findTool } from "../support/tools";

/**
 * What the functions run in the page use of the browser. The type check has no DOM library (src/ runs
 * on Bun, and a global `document` there would hide a mistake), so these are declared here, for this file.
 */
interface PageElement {
  id: string;
  textContent: string | null;
  hidden: boolean;
  value: string;
  scrollWidth: number;
  labels?: ArrayLike<unknown> | null;
  dataset: Record<string, string | undefined>;
  classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  scrollIntoView(): void;
}
type Violation = { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number };
declare const document: PageElement & {
  getElementById(id: string): PageElement | null;
  activeElement: PageElement | null;
  documentElement: PageElement;
  addEventListener(type: "securitypolicyviolation", listener: (event: Violation) => void): void;
};
declare const window: { innerWidth: number; scrollTo(x: number, y: number): void; [name: string]: unknown };
declare const sessionStorage: { length: number; getItem(key: string): string | null };
declare const localStorage: { length: number };

const TOKEN = `alice-${"a1".repeat(16)}`;
const chromium = findTool("chromium");
if (!chromium) {
  const hint = "chromium is not installed (apt-get install chromium)";
  if (process.env.CI === "true")
    test("chromium is available", () => {
      throw new Error(`${hint}; CI must provide it`);
    });
  else console.warn(`skipping the web page's browser test: ${hint}`);
}

/** A page's console error that a browser logs for a response it was meant to get: its status and path. */
const RESOURCE_ERROR = /^Failed to load resource: the server responded with a status of (\d+)/;

describe.skipIf(!chromium)("the web page in a browser", () => {
  const tempDir = tempDirs();
  let daemon: Daemon;
  let web: string;
  let tokenFile: string;
  let browser: Browser;
  let page: Page;
  /** Console errors and uncaught exceptions, but for the refusals the test causes on purpose (below). */
  const consoleErrors: string[] = [];
  const cspViolations: string[] = [];
  /** Responses the test provokes, which Chromium logs as console errors: "status path". */
  const expectedRefusals = new Set<string>();
  const step = steps();

  const run = (args: string[]) => cli(args, { TODO_ADDR: daemon.addr, TODO_TOKEN: TOKEN });
  const listed = async () => (await run(["search", "--json"])).stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));

  /** Waits, within a scaled bound, for `fn` to hold in the page; says what the list showed if it never does. */
  async function shows<A extends unknown[]>(what: string, fn: (...args: A) => unknown, ...args: A) {
    try {
      await page.waitForFunction(fn as (...a: unknown[]) => unknown, { timeout: scaled(15_000), polling: 50 }, ...args);
    } catch (e) {
      const seen = await page.evaluate(() => ({
        todos: [...document.querySelectorAll("#todos > li")].map((li) => li.textContent?.replace(/\s+/g, " ").trim()),
        status: document.getElementById("status")?.textContent,
        problem: document.getElementById("problem")?.textContent,
      }));
      throw new Error(`the page never showed ${what}: ${(e as Error).message}\n${JSON.stringify(seen, null, 2)}`);
    }
  }
  /** The id of the listed todo with this title. */
  const idOf = (title: string) =>
    page.evaluate((t) => [...document.querySelectorAll("#todos > li")].find((li) => li.querySelector(".todo-text")?.textContent === t)?.dataset.id, title);
  /** Waits for the list to show exactly these titles, in this order. */
  const listing = (titles: string[]) =>
    shows(JSON.stringify(titles), (t) => JSON.stringify([...document.querySelectorAll("#todos .todo-text")].map((e) => e.textContent)) === t, JSON.stringify(titles));
  const item = (id: string) => `#todos > li[data-id="${id}"]`;

  beforeAll(async () => {
    // The page and the web API are on the HTTP port, by default.
    tokenFile = join(tempDir("tokens"), "tokens");
    writeFileSync(tokenFile, `alice:${TOKEN}\n`);
    daemon = await startDaemon({ env: { TODO_AUTH_TOKENS_FILE: tokenFile } });
    web = daemon.httpUrl;
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      pipe: true,
      userDataDir: tempDir("chromium"),
      // No name resolves: nothing the browser might try on its own leaves this machine.
      args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
    });
    page = await browser.newPage();
    await page.emulateTimezone("Europe/Berlin");
    await page.setViewport({ width: 1280, height: 800 });
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const status = RESOURCE_ERROR.exec(message.text())?.[1];
      const path = new URL(message.location().url ?? "", web).pathname;
      if (!status || !expectedRefusals.has(`${status} ${path}`)) consoleErrors.push(`${message.text()} (${message.location().url ?? "?"})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error}`));
    // Reported from the first script of every document on (a reload included).
    await page.exposeFunction("reportCspViolation", (violation: string) => cspViolations.push(violation));
    await page.evaluateOnNewDocument(() => {
      const report = window.reportCspViolation as (violation: string) => void;
      document.addEventListener("securitypolicyviolation", (e) => report(`${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
    });
  }, 120_000); // may build dist/todo first

  afterAll(async () => {
    const pid = browser?.process()?.pid;
    await browser?.close().catch(() => pid && process.kill(pid, "SIGKILL"));
    if (daemon) expect(await daemon.stop()).toBe(0);
  });

  step("the page's files are served from the binary, with the Content-Security-Policy", async () => {
    for (const [path, file] of PAGE_FILES) {
      const response = await fetch(`${web}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get("content-type")).toBe(file.type);
      expect(await response.text()).toBe(file.body);
      expect(response.headers.get("content-security-policy")).toBe(PAGE_CSP);
    }
  });

  step("without a token the page asks to sign in; a wrong token is refused; the right one signs in", async () => {
    expectedRefusals.add("401 /v1/serverInfo");
    await page.goto(`${web}/`);
    await shows("the sign-in form", () => !document.getElementById("sign-in")?.hidden && document.activeElement?.id === "token");
    // Every control has a label.
    expect(await page.evaluate(() => [...document.querySelectorAll("input, select, textarea")].filter((e) => !(e as PageElement).labels?.length).map((e) => e.id))).toEqual([]);

    await page.type("#token", `${TOKEN}x`);
    await page.keyboard.press("Enter");
    await shows("the refusal", () => document.getElementById("problem")?.textContent?.includes("refused the token"));
    expect(await page.$eval("#sign-in", (e) => (e as PageElement).hidden)).toBe(false);

    await page.type("#token", TOKEN);
    await page.keyboard.press("Enter");
    await shows("the signed-in caller", () => document.getElementById("who")?.textContent === "Signed in as alice");
    await shows("live updates on", () => document.documentElement.dataset.live === "on");
    expect(await page.evaluate(() => sessionStorage.getItem("todo.token"))).toBe(TOKEN);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  let milk = "";
  step("adds a todo from the keyboard, with tags and a reminder entered in local time", async () => {
    // Focus is on the title after signing in: type, tab through the fields, Enter submits.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("title");
    await page.keyboard.type("Buy milk");
    await page.keyboard.press("Tab");
    await page.keyboard.type("two litres");
    await page.keyboard.press("Tab");
    await page.keyboard.type("shop, home");
    // datetime-local is typed differently per locale; its value is set as the picker would.
    await page.$eval("#reminder", (e) => {
      (e as PageElement).value = "2026-12-24T18:30";
    });
    await page.focus("#title");
    await page.keyboard.press("Enter");
    await shows("the new todo", () => [...document.querySelectorAll("#todos .todo-text")].some((e) => e.textContent === "Buy milk"));
    milk = (await idOf("Buy milk"))!;
    const stored = (await listed()).find((t) => t.id === milk);
    // 18:30 in Berlin in December is 17:30 UTC; the page shows it back in local time.
    expect(stored).toMatchObject({ title: "Buy milk", description: "two litres", tags: ["shop", "home"], reminder: "2026-12-24T17:30:00Z", state: "STATE_NOT_STARTED" });
    const [datetime, shown] = await page.$eval(`${item(milk)} time`, (e) => [e.getAttribute("datetime"), e.textContent]);
    expect(datetime).toBe("2026-12-24T17:30:00Z");
    expect(shown).toMatch(/\b(18:30|6:30\sPM)$/); // in the browser's locale, whichever it is
    expect(await page.$eval("#status", (e) => e.textContent)).toBe("Added “Buy milk”.");
  });

  step("marks it done", async () => {
    await page.click(`${item(milk)} .act-toggle`);
    await shows("the todo done", (sel) => document.querySelector(sel)?.classList.contains("done"), item(milk));
    expect((await listed()).find((t) => t.id === milk).state).toBe("STATE_DONE");
    expect(await page.$eval(`${item(milk)} .act-toggle`, (e) => e.textContent)).toBe("Reopen");
  });

  step("an edit that meets a change made elsewhere says so and shows the current todo; the next edit saves", async () => {
    expectedRefusals.add(`412 /v1/todos/${milk}`);
    await page.click(`${item(milk)} .act-edit`);
    await shows("the editor on the todo", () => document.getElementById("title")?.value === "Buy milk");
    expect(await run(["modify", milk, "Buy oat milk"])).toMatchObject({ exitCode: 0 });
    // The watch brings the CLI's change into the list; the editor keeps what it opened.
    await shows("the CLI's title in the list", () => [...document.querySelectorAll("#todos .todo-text")].some((e) => e.textContent === "Buy oat milk"));
    await page.$eval("#title", (e) => {
      (e as PageElement).value = "";
    });
    await page.type("#title", "Buy goat milk");
    await page.keyboard.press("Enter");
    await shows("the conflict", () => document.getElementById("problem")?.textContent?.includes("changed elsewhere; reloaded"));
    expect(await page.$eval("#title", (e) => (e as PageElement).value)).toBe("Buy oat milk");
    expect((await listed()).find((t) => t.id === milk).title).toBe("Buy oat milk");

    await page.type("#title", " and bread");
    await page.keyboard.press("Enter");
    await shows("the saved title", () => [...document.querySelectorAll("#todos .todo-text")].some((e) => e.textContent === "Buy oat milk and bread"));
    expect((await listed()).find((t) => t.id === milk)).toMatchObject({ title: "Buy oat milk and bread", state: "STATE_DONE", tags: ["shop", "home"] });
    expect(await page.$eval("#editor-heading", (e) => e.textContent)).toBe("Add a todo");
  });

  step("searches by text, state and tag", async () => {
    for (const title of ["Call the plumber", "Pay the rent (C++ course)"]) {
      await page.type("#title", title);
      await page.keyboard.press("Enter");
      await shows(title, (t) => [...document.querySelectorAll("#todos .todo-text")].some((e) => e.textContent === t), title);
    }
    const all = ["Buy oat milk and bread", "Call the plumber", "Pay the rent (C++ course)"];
    await listing(all);
    // Literal text, case ignored: "c++" is not a regular expression here.
    await page.type("#filter-pattern", "c++");
    await listing(["Pay the rent (C++ course)"]);
    await page.$eval("#filter-pattern", (e) => {
      (e as PageElement).value = "";
    });
    await page.select("#filter-state", "STATE_DONE");
    await listing(["Buy oat milk and bread"]);
    await page.select("#filter-state", "STATE_NOT_STARTED,STATE_IN_PROGRESS");
    await listing(["Call the plumber", "Pay the rent (C++ course)"]);
    await page.select("#filter-state", "");
    await listing(all);
    // A tag on a todo filters by it.
    await page.click(`${item(milk)} .todo-tags button`);
    await listing(["Buy oat milk and bread"]);
    expect(await page.$eval("#filter-tag", (e) => (e as PageElement).value)).toBe("shop");
    await page.$eval("#filter-tag", (e) => {
      (e as PageElement).value = "";
    });
    await page.click("#filters button[type=submit]");
    await listing(all);
  });

  step("deletes, after a second press", async () => {
    const plumber = (await idOf("Call the plumber"))!;
    await page.click(`${item(plumber)} .act-delete`);
    await shows("the armed button", (sel) => document.querySelector(sel)?.textContent === "Confirm delete", `${item(plumber)} .act-delete`);
    expect((await listed()).map((t) => t.title)).toContain("Call the plumber");
    await page.click(`${item(plumber)} .act-delete`);
    await shows("the todo gone", (sel) => !document.querySelector(sel), item(plumber));
    expect((await listed()).map((t) => t.title)).not.toContain("Call the plumber");
    expect(await page.$eval("#status", (e) => e.textContent)).toBe("Deleted “Call the plumber”.");
  });

  step("a todo added with the CLI appears without a reload, its text shown as text", async () => {
    await page.evaluate(() => {
      window.sameDocument = true;
    });
    const title = `<img src=x onerror="document.title='owned'"> from the CLI`;
    expect(await run(["add", title, "+cli"])).toMatchObject({ exitCode: 0 });
    await shows("the CLI's todo", (t) => [...document.querySelectorAll("#todos .todo-text")].some((e) => e.textContent === t), title);
    expect(await page.evaluate(() => window.sameDocument)).toBe(true);
    expect(await page.evaluate(() => document.querySelectorAll("#todos img").length)).toBe(0);
  });

  step("fits a phone: nothing wider than a 360 px screen", async () => {
    await page.setViewport({ width: 360, height: 740 });
    await shows("the narrow layout", () => window.innerWidth === 360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    if (process.env.TODO_SCREENSHOTS === "1") {
      // The phone's screen from the list's heading (the editor above fills it); the desktop's from the top.
      await page.setViewport({ width: 390, height: 844 });
      await page.$eval("#todos-heading", (e) => e.scrollIntoView());
      await page.screenshot({ path: join(ROOT, "docs/web-page-phone.png") });
      await page.setViewport({ width: 1280, height: 800 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ROOT, "docs/web-page-desktop.png") });
    }
    await page.setViewport({ width: 1280, height: 800 });
  });

  step("signing out forgets the token: the tab, reloaded, asks again", async () => {
    await page.click("#sign-out");
    await shows("the sign-in form", () => !document.getElementById("sign-in")?.hidden && document.getElementById("app")?.hidden);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll("#todos > li").length)).toBe(0);
    await page.reload();
    await shows("the sign-in form after a reload", () => !document.getElementById("sign-in")?.hidden);
  });

  step("a token revoked while the page is open: its watch ends, and the page asks to sign in again", async () => {
    await page.type("#token", TOKEN);
    await page.keyboard.press("Enter");
    // Once the list is in, nothing is asked until the revocation: only the open watch meets it.
    await shows("live updates on and the list", () => document.documentElement.dataset.live === "on" && document.querySelectorAll("#todos > li").length === 3);
    writeFileSync(tokenFile, `bob:${"b2".repeat(16)}\n`);
    process.kill(daemon.pid, "SIGHUP");
    await shows("the sign-in form, saying why", () => !document.getElementById("sign-in")?.hidden && document.getElementById("problem")?.textContent?.startsWith("The daemon refused the token: "));
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  step("no console error and no Content-Security-Policy violation on the way", async () => {
    expect(cspViolations).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

test("TODO_WEB_PAGE=false: no page at /, the web API still answers", async () => {
  const daemon = await startDaemon({ env: { TODO_WEB_PAGE: "false" } });
  try {
    for (const path of PAGE_FILES.keys()) expect({ path, status: (await fetch(`${daemon.httpUrl}${path}`)).status }).toEqual({ path, status: 404 });
    expect((await fetch(`${daemon.httpUrl}/v1/todos`)).status).toBe(200);
  } finally {
    expect(await daemon.stop()).toBe(0);
  }
});
