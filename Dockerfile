# syntax=docker/dockerfile:1
#
# The `todo` image: `todo serve` alone on distroless.
#   docker build -t todo \
#     --build-arg VERSION="$(bun -p 'require("./package.json").version')" \
#     --build-arg REVISION="$(git rev-parse HEAD)" \
#     --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
#   docker build --target test .        # runs the test suite in the build environment
#
# Why base-nossl and not cc: `ldd` on a `bun build --compile` binary lists only glibc (libc, libm,
# libpthread, libdl, the loader) and nothing is dlopen'ed at run time (SQLite and BoringSSL are linked
# into Bun), so the smallest distroless image with glibc is enough. test/ship/image.test.ts checks this
# against the real dist/todo.

# Pinned to package.json's packageManager; the default (Debian, glibc) variant, because the compiled
# binary is dynamically linked against glibc like the distroless runtime below.
FROM oven/bun:1.4.5 AS build
WORKDIR /src
# Dependencies first, so a source change does not reinstall them.
COPY package.json bun.lock bunfig.toml ./
COPY patches ./patches
RUN bun install --frozen-lockfile
COPY . .
# .git is not in the build context (.dockerignore): the commit the binary reports comes from this argument.
# /rootfs/data is the data volume's mount point, made here because the runtime image has no shell; 0700,
# as todo serve makes a data directory itself (todos are personal; it warns about one others can read).
ARG REVISION=unknown
RUN TODO_BUILD_COMMIT="${REVISION}" bun run build \
 && ./dist/todo --version \
 && mkdir -p /rootfs/data \
 && chown 65532:65532 /rootfs/data \
 && chmod 700 /rootfs/data

# Optional: `docker build --target test .` (tests that need tools absent from this image skip themselves).
FROM build AS test
RUN bun run test

FROM gcr.io/distroless/base-nossl-debian12:nonroot AS runtime
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="todo" \
      org.opencontainers.image.description="todo: gRPC daemon (todo serve) and command-line client" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
# The base image brings CA certificates (/etc/ssl/certs), tzdata, /etc/passwd with nonroot (65532).
COPY --from=build --chown=0:0 --chmod=0755 /src/dist/todo /todo
# --chown applies to the directory COPY creates, so the volume's mount point belongs to nonroot.
COPY --from=build --chown=65532:65532 /rootfs/data /data
ENV TODO_DATA_DIR=/data
# Outside a container `todo serve` binds loopback only; here it must take connections through the
# container's interface. Listening beyond loopback, the daemon needs tokens (TODO_AUTH_TOKENS_FILE) or
# client certificates, or TODO_INSECURE=true, to start (see SECURITY.md).
ENV HOST=0.0.0.0
VOLUME ["/data"]
# gRPC, then HTTP (/metrics, /healthz, /readyz).
EXPOSE 8080 8081
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 65532:65532
ENTRYPOINT ["/todo"]
CMD ["serve"]
