# Shared by the ghz benchmarks (sourced): finds ghz, and gives a work directory and a `daemon` pid that
# are cleaned up on exit.
tools_bin="${TODO_TOOLS_DIR:-$HOME/.cache/todo-tools}/bin"
ghz=$(command -v ghz || echo "$tools_bin/ghz")
[ -x "$ghz" ] || { echo "bench: ghz is not installed; run scripts/install-tools.sh ghz" >&2; exit 1; }

work=$(mktemp -d)
daemon=""
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
