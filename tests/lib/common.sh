# Sourced by tests/integration/*.sh. Provides:
#   tmpdir               a private directory, removed on exit
#   on_exit CMD          run CMD at exit (LIFO), also when the test fails
#   netns_add NAME       create a network namespace (unique per test), removed on exit
#   netns_link NS IF ADDR...  a veth pair IF/IF-peer, both ends inside NS and up,
#                        ADDRs (with prefix) on IF: a real, non-loopback link
#   start_bg VAR CMD...  start CMD in the background, PID in $VAR, killed on exit
#   fail MSG / skip MSG  end the test
#   expect_eq WHAT GOT WANT
#   wait_for SECS CMD... poll until CMD succeeds
#   module_env           env(1) assignments for a program that loads the module:
#                        `env $module_env getent ...`
#   sanitized            true when $BUILD is a sanitizer build (build/asan)
#   strace_env           env(1) assignment for a program of ours under strace
#                        (LeakSanitizer cannot run under ptrace)
# Every name a test creates carries $uid so that concurrent tests never clash.
set -u
: "${TOP:?run through tests/run-integration or set TOP}"
: "${BUILD:=$TOP/build}"
uid="d$$"
_exit_cmds=()
on_exit() { _exit_cmds=("$*" "${_exit_cmds[@]}"); }
_run_exit() {
	local rc=$? c
	for c in "${_exit_cmds[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	# After the cleanup: a daemon of ours reports its leaks when stopped.
	if compgen -G "$tmpdir/sanitizer.*" >/dev/null; then
		echo "FAIL: sanitizer report:" >&2
		head -n 30 "$tmpdir"/sanitizer.* >&2
		rc=1
	fi
	rm -rf "$tmpdir"
	exit $rc
}
trap _run_exit EXIT
trap 'exit 130' INT TERM

tmpdir=$(mktemp -d "/tmp/dots-test.XXXXXX")

# Under a sanitizer build (tests/run-integration sets DOTS_SAN_PRELOAD from
# $BUILD/sanitizer-preload) every report goes to $tmpdir/sanitizer.PROG.PID, which
# fails the test at exit even when the program's stderr or status is
# discarded; the first error ends the program with status 99. UBSan prints
# to stderr whatever its log_path (its runtime's report path call binds to
# libasan's), so it aborts, and ASan (handle_abort) files that with the stack.
# A program not built by us needs the runtimes preloaded to load the module,
# and its own leaks are not ours (python3 leaks at exit): detect_leaks is off
# there only.
sanitized() { [ -n "${DOTS_SAN_PRELOAD:-}" ]; }
module_env="LD_LIBRARY_PATH=$BUILD" strace_env=
if sanitized; then
	san_log="log_path=$tmpdir/sanitizer:log_exe_name=1"
	asan_opts="handle_abort=1:exitcode=99:$san_log"
	export ASAN_OPTIONS="detect_leaks=1:$asan_opts"
	export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:$san_log"
	module_env+=" LD_PRELOAD=$DOTS_SAN_PRELOAD ASAN_OPTIONS=detect_leaks=0:$asan_opts"
	strace_env="ASAN_OPTIONS=detect_leaks=0:$asan_opts"
fi

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skipped: $*"; exit 77; }
need() { local c; for c in "$@"; do command -v "$c" >/dev/null 2>&1 || skip "$c not installed"; done; }

expect_eq() {
	if [ "$2" != "$3" ]; then
		printf 'FAIL: %s\n  got:  %s\n  want: %s\n' "$1" "$2" "$3" >&2
		exit 1
	fi
	echo "ok: $1"
}

netns_add() {
	ip netns add "$1" || fail "ip netns add $1"
	on_exit "ip netns delete '$1'"
	ip -n "$1" link set lo up
}

netns_link() {
	local ns=$1 ifname=$2 a
	shift 2
	ip -n "$ns" link add "$ifname" type veth peer name "$ifname-peer" || fail "veth pair in $ns"
	ip -n "$ns" link set "$ifname" up
	ip -n "$ns" link set "$ifname-peer" up
	for a in "$@"; do
		case $a in
		*:*) ip -n "$ns" addr add "$a" dev "$ifname" nodad ;; # usable at once
		*) ip -n "$ns" addr add "$a" dev "$ifname" ;;
		esac
	done
}

start_bg() {
	local var=$1; shift
	"$@" &
	local pid=$!
	printf -v "$var" '%s' "$pid"
	on_exit "kill $pid; wait $pid"
}

wait_for() {
	local secs=$1; shift
	local end=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# A port free on loopback for both UDP and TCP (DNS servers bind both).
free_port() {
	python3 - <<'PY'
import socket
while True:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    port = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(port)
    break
PY
}

# Lookups through the module only, never the host's resolver or nsswitch.conf.
dots_getent() { env $module_env getent -s hosts:dots "$@"; }

# json_rows FIELD... < dots-discover --json: one line per result, fields joined by '|'
# (null prints as "-"), e.g. json_rows order address port.
json_rows() {
	python3 -c '
import json, sys
for row in json.load(sys.stdin):
    print("|".join("-" if row.get(f) is None else str(row.get(f)) for f in sys.argv[1:]))
' "$@"
}
