#!/usr/bin/env bash
# tests/helpers/stress: 8 threads resolving dots-server, dots-call-home and
# other names while dots.conf (by rename, in place, both) and the DHCP state
# file (by rename) are rewritten underneath: every answer is one of the valid
# versions', and after the writer stops, the last one. (make check-tsan runs
# the same program under ThreadSanitizer.)
. "$TOP/tests/lib/common.sh"
for mode in rename inplace both; do
	dir="$tmpdir/$mode"
	mkdir -p "$dir"
	out=$(DOTS_CONF="$dir/dots.conf" DOTS_STATE_DIR="$dir" LD_LIBRARY_PATH="$BUILD" \
		timeout 120 "$BUILD/helpers/stress" -t 8 -n 4000 -w "$mode" 2>&1) ||
		fail "stress -w $mode: $out"
	echo "ok: $out"
done
