// A real nginx (Debian's nginx-light) in front of the daemon, as ingress-nginx puts it: `grpc_pass` to
// the daemon's gRPC port. It runs in the foreground with everything it writes in a temporary prefix,
// and is stopped by pid.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { accepts, freePort } from "./net";

/** nginx's path; undefined when it is not installed. */
export function findNginx(): string | undefined {
  return Bun.which("nginx") ?? ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].find((p) => existsSync(p));
}

export interface Nginx {
  addr: string;
  /** nginx's error log so far (gone after stop). */
  errorLog(): string;
  stop(): Promise<void>;
}

/** A certificate and key nginx presents, terminating TLS as an ingress does. */
export interface TlsCertificate {
  cert: string;
  key: string;
}

function config(prefix: string, port: number, upstream: string, tls?: TlsCertificate): string {
  return `
# One process in the foreground: the test stops it by pid, and as root no worker switches to a user
# that cannot read this private prefix.
daemon off;
master_process off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log info;
events { worker_connections 256; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  # Upstream connections are reused, as ingress-nginx does: the defect shows from the second response
  # on a connection, once the daemon's HPACK encoder refers to its dynamic table.
  upstream todod {
    server ${upstream};
    keepalive 8;
  }
  server {
    # HTTP/2, in plain text with prior knowledge as gRPC clients speak it, or behind TLS as ingress-nginx
    # serves a GRPC backend (nginx 1.22 has no "http2 on": it goes on the listen line).
    listen 127.0.0.1:${port}${tls ? " ssl" : ""} http2;${
      tls ? `\n    ssl_certificate ${tls.cert};\n    ssl_certificate_key ${tls.key};\n    ssl_protocols TLSv1.2 TLSv1.3;` : ""
    }
    location / { grpc_pass grpc://todod; }
  }
}
`;
}

/** Starts nginx proxying gRPC to `upstream` (host:port) on a free 127.0.0.1 port, with TLS if given. */
export async function startNginx(nginx: string, upstream: string, tls?: TlsCertificate): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), "todo-nginx-"));
  // The port is free when chosen but could be taken before nginx binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(join(prefix, "nginx.conf"), config(prefix, port, upstream, tls));
    const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn([nginx, "-p", prefix, "-c", join(prefix, "nginx.conf")], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const errorLog = () => (existsSync(join(prefix, "error.log")) ? readFileSync(join(prefix, "error.log"), "utf8") : "");
    const deadline = Date.now() + 10_000;
    while (proc.exitCode === null && Date.now() < deadline && !(await accepts(port))) await Bun.sleep(20);
    if (proc.exitCode === null && (await accepts(port))) {
      return {
        addr: `127.0.0.1:${port}`,
        errorLog,
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, "SIGTERM");
          await proc.exited;
          rmSync(prefix, { recursive: true, force: true });
        },
      };
    }
    if (proc.exitCode === null) process.kill(proc.pid, "SIGKILL");
    await proc.exited;
    const why = `${await new Response(proc.stderr).text()}${errorLog()}`;
    if (attempt >= 3 || !/Address already in use/.test(why)) {
      rmSync(prefix, { recursive: true, force: true });
      throw new Error(`nginx did not start:\n${why}`);
    }
  }
}
