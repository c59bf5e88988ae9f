#!/usr/bin/env bash
# The module's syslog line (a bad dots.conf) in a mount namespace with a
# private /dev/log: it arrives, tagged with the program and "nss_dots:", the
# lookup leaves no descriptor open (syslog(3) would keep its socket), and a
# log daemon whose queue is full (a stuck journald) does not block the lookup
# (syslog(3) would wait for it forever).
. "$TOP/tests/lib/common.sh"
need unshare python3
unshare -m true 2>/dev/null || skip "no mount namespaces"
printf 'server dots.example.net 192.0.2.1\nbogus line\n' >"$tmpdir/bad.conf"
mkdir -p "$tmpdir/dev"
cat >"$tmpdir/run.py" <<'PY'
import os, socket, subprocess, sys, time
build, conf = sys.argv[1], sys.argv[2]
log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
log.bind("/dev/log")
env = dict(os.environ, DOTS_CONF=conf, LD_LIBRARY_PATH=build)
def lookup():
    start = time.time()
    try:
        p = subprocess.run([build + "/helpers/resolve", "-d", "dots-server"], env=env,
                           capture_output=True, text=True, timeout=5)
    except subprocess.TimeoutExpired:
        sys.exit("FAIL: the lookup blocked on the log daemon")
    return p.stdout.split("\n"), time.time() - start
(fds, answer, _), secs = lookup()
_, before, after = fds.split()
if before != after:
    sys.exit("FAIL: descriptors %s before the lookup, %s after" % (before, after))
print("ok: no descriptor left open by logging (%s before, %s after); %s" % (before, after, answer))
log.settimeout(2)
line = log.recv(4096).decode()
if "nss_dots: " not in line or "unknown keyword 'bogus'" not in line or not line.startswith("<28>resolve["):
    sys.exit("FAIL: log line: %r" % line)
print("ok: logged: %s" % line)
# Fill the daemon's queue, then look up again.
c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
c.setblocking(False)
try:
    while True:
        c.sendto(b"x" * 100, "/dev/log")
except BlockingIOError:
    pass
_, secs = lookup()
print("ok: with the log daemon's queue full the lookup returned in %.2f s" % secs)
PY
# A private /dev (tmpfs with null bound in) so that /dev/log is ours only.
unshare -m sh -c '
	mount -t tmpfs none "$1/dev" && touch "$1/dev/null" && mount --bind /dev/null "$1/dev/null" &&
	mount --bind "$1/dev" /dev && exec python3 "$1/run.py" "$2" "$1/bad.conf"' sh "$tmpdir" "$BUILD"
