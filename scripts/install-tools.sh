#!/usr/bin/env bash
# Installs the ecosystem tools the tests drive (real servers and clients, never committed) from the Go
# module proxy into a cache folder, once: $TODO_TOOLS_DIR (default ~/.cache/todo-tools)/bin.
# Usage: scripts/install-tools.sh [tool ...]   (no argument: all of them)
set -euo pipefail

declare -A TOOLS=(
  [grpcurl]=github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4
  [buf]=github.com/bufbuild/buf/cmd/buf@v1.75.0
  [ferretdb]=github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2
  [helm]=helm.sh/helm/v3/cmd/helm@v3.22.0
  [ghz]=github.com/bojand/ghz/cmd/ghz@v0.93.0
  [grpc-health-probe]=github.com/grpc-ecosystem/grpc-health-probe@v0.4.62
  [kubeconform]=github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
  # Not from the proxy: the history checker's Go program in this repository (its module fetches porcupine).
  [history-check]=test/history
)

bin="${TODO_TOOLS_DIR:-$HOME/.cache/todo-tools}/bin"
mkdir -p "$bin"
export GOBIN="$bin" GOFLAGS="${GOFLAGS:-} -trimpath" CGO_ENABLED=0
command -v go >/dev/null || { echo "install-tools: go is not installed; install Go 1.22+ first" >&2; exit 1; }

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${!TOOLS[@]}")
for tool in "${wanted[@]}"; do
  module="${TOOLS[$tool]:-}"
  [ -n "$module" ] || { echo "install-tools: unknown tool $tool (known: ${!TOOLS[*]})" >&2; exit 1; }
  # A stamp beside the binary, so a change of pin (or of how a tool is built) reinstalls it.
  stamp="$module"
  [ "$tool" = ferretdb ] && stamp="$module (built from the module source with its version.txt)"
  # A local program: rebuilt when its source changes.
  [ "$tool" = history-check ] && stamp="$module $(cd "$(dirname "$0")/../$module" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)"
  if [ -x "$bin/$tool" ] && [ "$(cat "$bin/.$tool.version" 2>/dev/null)" = "$stamp" ]; then continue; fi
  echo "install-tools: $module" >&2
  if [ "$tool" = ferretdb ]; then
    # `go install` leaves out the build/version/version.txt that FerretDB's build generates, and the
    # binary then panics at start: build it from a writable copy of the module with that file written.
    src="$(mktemp -d)"
    dir="$(go mod download -json "${module%%/cmd/*}@${module##*@}" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    cp -r "$dir/." "$src" && chmod -R u+w "$src"
    echo "${module##*@}" > "$src/build/version/version.txt"
    (cd "$src" && go build -buildvcs=false -o "$bin/ferretdb" ./cmd/ferretdb)
    rm -rf "$src"
  elif [ "$tool" = history-check ]; then
    (cd "$(dirname "$0")/../$module" && go build -o "$bin/history-check" .)
  else
    go install "$module"
  fi
  echo "$stamp" > "$bin/.$tool.version"
done
echo "$bin"
