// The web page at `/`, for the daemon's web listener: its files by URL path, embedded in the binary as
// text (Bun text imports, which `bun build --compile` carries), and the Content-Security-Policy to
// serve them with. The page has no inline script or style, so the policy admits only this origin's
// files and fetches.
import html from "./index.html" with { type: "text" };
import script from "./app.js" with { type: "text" };
import apiScript from "./api.js" with { type: "text" };
import css from "./app.css" with { type: "text" };
import icon from "./icon.svg" with { type: "text" };

/**
 * The page's files keyed by URL path. bun-types declares every `.html` import an HTMLBundle (Bun's
 * full-stack bundling); with `type: "text"` it is the file's text, hence the cast.
 */
export const PAGE_FILES: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ["/", { type: "text/html; charset=utf-8", body: html as unknown as string }],
  ["/app.js", { type: "text/javascript; charset=utf-8", body: script }],
  ["/api.js", { type: "text/javascript; charset=utf-8", body: apiScript }],
  ["/app.css", { type: "text/css; charset=utf-8", body: css }],
  ["/icon.svg", { type: "image/svg+xml", body: icon }],
]);

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
