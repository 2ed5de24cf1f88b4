// TLS on the gRPC port, through grpc-js's certificate-provider credentials: the server swaps its secure
// context (setSecureContext) when a provider reports new files, so SIGHUP renews a certificate without
// closing the listener or the connections already open. grpc-js's FileWatcherCertificateProvider polls on
// a timer; this provider reads the files when told to (at start, on SIGHUP) and checks them first.
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { experimental, type ServerCredentials } from "@grpc/grpc-js";

export class TlsFilesError extends Error {}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** Client certificates must be signed by this CA (mutual TLS). */
  clientCaFile?: string;
}

interface Loaded {
  certificate: Buffer;
  privateKey: Buffer;
  caCertificate?: Buffer;
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new TlsFilesError(`cannot read the TLS ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Reads the files and checks that they make a TLS context (PEM, a key that matches the certificate). */
function load(files: TlsFiles): Loaded {
  const loaded: Loaded = {
    certificate: read(files.certFile, "certificate (TLS_CERT_FILE)"),
    privateKey: read(files.keyFile, "key (TLS_KEY_FILE)"),
    caCertificate: files.clientCaFile === undefined ? undefined : read(files.clientCaFile, "client CA (TLS_CLIENT_CA_FILE)"),
  };
  try {
    createSecureContext({ cert: loaded.certificate, key: loaded.privateKey, ca: loaded.caCertificate });
  } catch (e) {
    // OpenSSL's reason, without its error-code prefix: "KEY_VALUES_MISMATCH", "NO_START_LINE".
    const reason = (e as Error).message.replace(/^error:[0-9a-f]+:/i, "");
    throw new TlsFilesError(`the TLS files ${files.certFile}, ${files.keyFile}${files.clientCaFile ? `, ${files.clientCaFile}` : ""} do not make a TLS context: ${reason}`);
  }
  return loaded;
}

/** The certificate, key and client CA, re-read by reload(); both the identity and the CA provider. */
class TlsFilesProvider implements experimental.CertificateProvider {
  private identityListeners = new Set<experimental.IdentityCertificateUpdateListener>();
  private caListeners = new Set<experimental.CaCertificateUpdateListener>();

  constructor(
    private readonly files: TlsFiles,
    private current: Loaded,
  ) {}

  reload(): void {
    this.current = load(this.files);
    for (const listener of this.identityListeners) listener(this.identity());
    for (const listener of this.caListeners) listener(this.ca());
  }

  loaded(): { cert: Buffer; key: Buffer; ca?: Buffer } {
    return { cert: this.current.certificate, key: this.current.privateKey, ca: this.current.caCertificate };
  }

  private identity(): experimental.IdentityCertificateUpdate {
    return { certificate: this.current.certificate, privateKey: this.current.privateKey };
  }

  private ca(): experimental.CaCertificateUpdate | null {
    return this.current.caCertificate ? { caCertificate: this.current.caCertificate } : null;
  }

  // grpc-js subscribes while it creates the server and adds its own watcher only after that: the first
  // update must come later (as FileWatcherCertificateProvider's does) or the server never hears of it.
  addIdentityCertificateListener(listener: experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.add(listener);
    queueMicrotask(() => this.identityListeners.has(listener) && listener(this.identity()));
  }

  removeIdentityCertificateListener(listener: experimental.IdentityCertificateUpdateListener): void {
    this.identityListeners.delete(listener);
  }

  addCaCertificateListener(listener: experimental.CaCertificateUpdateListener): void {
    this.caListeners.add(listener);
    queueMicrotask(() => this.caListeners.has(listener) && listener(this.ca()));
  }

  removeCaCertificateListener(listener: experimental.CaCertificateUpdateListener): void {
    this.caListeners.delete(listener);
  }
}

export interface ServerTls {
  credentials: ServerCredentials;
  /** Re-reads the files; a TlsFilesError keeps the certificate in force (the server never runs without one). */
  reload(): void;
  /** The certificate, key and client CA in force, for the HTTP port (HTTP_TLS). */
  context(): { cert: Buffer; key: Buffer; ca?: Buffer };
  /** Calls `listener` after each successful reload. */
  onReload(listener: () => void): void;
}

/** TLS credentials from the files, or a TlsFilesError (one line) when they cannot serve. */
export function serverTls(files: TlsFiles): ServerTls {
  const provider = new TlsFilesProvider(files, load(files));
  const mutual = files.clientCaFile !== undefined;
  // The first argument is the identity provider (grpc-js's parameter names are swapped).
  const credentials = experimental.createCertificateProviderServerCredentials(provider, mutual ? provider : null, mutual);
  const listeners: (() => void)[] = [];
  return {
    credentials,
    reload: () => {
      provider.reload();
      for (const listener of listeners) listener();
    },
    context: () => provider.loaded(),
    onReload: (listener) => listeners.push(listener),
  };
}
