# Sourced (not run) by the bench/*.sh scripts: the repository as the working
# directory, $top, $BUILD, and a private directory $tmp that is removed on
# exit, after every process whose PID the script added to pids is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
: "${BUILD:=$top/build}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
