#!/usr/bin/env bash
# A known file that must be ignored (group-writable) costs one syslog line,
# tagged "nss_dots:", naming the file and the reason, in a mount namespace
# with a private /dev/log; a good one costs none. The DNS server (nsd on
# loopback) answers for the save, then is killed: the lookups after that fail
# temporarily, which is when a known file is read.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dns_servers.sh"
need unshare python3
unshare -m true 2>/dev/null || skip "no mount namespaces"

start_nsd port "example.net=$TOP/tests/zones/figure8.zone"
conf=$tmpdir/dots.conf known=$tmpdir/known
write_conf "$conf" "domain example.net" "nameserver 127.0.0.1:$port" "timeout 300"
export DOTS_CONF=$conf DOTS_KNOWN_DIR=$known DOTS_STATE_DIR=$tmpdir/state
"$BUILD/dots-discover" --save >/dev/null || fail "--save"
kill "$NSD_PID"
wait "$NSD_PID" 2>/dev/null

mkdir -p "$tmpdir/dev"
cat >"$tmpdir/run.py" <<'PY'
import os, socket, subprocess, sys
build, known = sys.argv[1], sys.argv[2]
log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
log.bind("/dev/log")
log.settimeout(0.5)
def discover():
    p = subprocess.run([build + "/dots-discover", "--json"], capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout
def lines():
    got = []
    try:
        while True:
            got.append(log.recv(4096).decode())
    except socket.timeout:
        return got
rc, out = discover()
if rc != 0 or "2001:db8::1" not in out:
    sys.exit("FAIL: the good known file did not answer: %d %s" % (rc, out))
if lines():
    sys.exit("FAIL: a good known file was logged")
print("ok: a good known file answers, no log line")
os.chmod(known + "/server.known", 0o664)
for i in range(3):
    rc, out = discover()
    if rc != 2 or "2001:db8" in out:
        sys.exit("FAIL: a group-writable known file answered: %d %s" % (rc, out))
    got = lines()
    want = "nss_dots: %s/server.known: known file ignored: writable by group or others" % known
    if len(got) != 1 or want not in got[0] or not got[0].startswith("<28>dots-discover["):
        sys.exit("FAIL: run %d: want one line with %r, got %r" % (i, want, got))
print("ok: a group-writable known file: nothing, and one log line per process: %s" % got[0])
PY
# A private /dev (tmpfs with null bound in) so that /dev/log is ours only.
unshare -m sh -c '
	mount -t tmpfs none "$1/dev" && touch "$1/dev/null" && mount --bind /dev/null "$1/dev/null" &&
	mount --bind "$1/dev" /dev && exec python3 "$1/run.py" "$2" "$3"' sh "$tmpdir" "$BUILD" "$known"
