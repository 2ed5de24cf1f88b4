// Connection strings (MongoDB's, RabbitMQ's) carry passwords, and sometimes tokens in their options;
// nothing the processes say may repeat them. Every message, log field or shown setting that could hold
// such a URL goes through redactUrl or scrub: the settings, the store, the relay and the projection alike.
// It imports nothing, so every layer can.

/** Query options whose values are secrets. */
const SECRET_OPTION = /^(authMechanismProperties|.*(password|secret|token).*)$/i;

/**
 * The connection string with its password and secret options replaced by `***`. The user name is kept
 * when it is unambiguous; a malformed string is redacted whole rather than risk showing part of a password.
 */
export function redactUrl(url: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? "";
  let rest = url.slice(scheme.length);
  // The last '@' ends the user info: a password with an unescaped '@' is a common mistake.
  const at = rest.lastIndexOf("@");
  let userinfo = "";
  if (at >= 0) {
    const info = rest.slice(0, at);
    const colon = info.indexOf(":");
    const user = colon >= 0 ? info.slice(0, colon) : info;
    // A percent-encoded user name holds no '/', '?' or '#'; with one, where the user info ends is a guess.
    userinfo = /^[^/?#]*$/.test(user) ? `${user}${colon >= 0 ? ":***" : ""}@` : "***@";
    rest = rest.slice(at + 1);
  }
  const q = rest.indexOf("?");
  if (q >= 0) {
    const options = rest
      .slice(q + 1)
      .split("&")
      .map((option) => {
        const eq = option.indexOf("=");
        return eq >= 0 && SECRET_OPTION.test(option.slice(0, eq)) ? `${option.slice(0, eq)}=***` : option;
      });
    rest = `${rest.slice(0, q)}?${options.join("&")}`;
  }
  return scheme + userinfo + rest;
}

/** The secrets in a connection string, as they may appear in a message: raw and percent-decoded. */
export function secretsOf(url: string): string[] {
  const secrets = new Set<string>();
  const add = (s: string) => {
    if (s.length < 3) return; // too short to tell from ordinary text; redactUrl still hides it in URLs
    secrets.add(s);
    try {
      secrets.add(decodeURIComponent(s));
    } catch {
      // not valid percent-encoding: the raw form is enough
    }
  };
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? "";
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const info = rest.slice(0, at);
    const colon = info.indexOf(":");
    if (colon >= 0) add(info.slice(colon + 1));
  }
  const q = rest.indexOf("?", at + 1);
  if (q >= 0)
    for (const option of rest.slice(q + 1).split("&")) {
      const eq = option.indexOf("=");
      if (eq >= 0 && SECRET_OPTION.test(option.slice(0, eq))) add(option.slice(eq + 1));
    }
  return [...secrets];
}

/** `text` with the connection string and each of its secrets replaced. */
export function scrub(text: string, url: string, secrets: readonly string[] = secretsOf(url)): string {
  let out = text.split(url).join(redactUrl(url));
  // Longest first, so a secret containing another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join("***");
  return out;
}
