// A broker URL may hold a password: logs and errors show it with its userinfo hidden. The settings
// module owns it, as its errors show refused URLs the same way.
export { redactUrl } from "../config/fields";
