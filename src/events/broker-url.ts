// A broker URL may hold a password: logs and errors show it with its userinfo hidden.
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, "$1***@");
}
