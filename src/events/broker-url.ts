// A broker URL may hold a password: logs and errors show it with its userinfo hidden.

/** The URL with everything before its last '@' after the scheme replaced: a password holding '@' or '/' stays hidden too. */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? "";
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  return at < 0 ? url : `${scheme}***@${rest.slice(at + 1)}`;
}
