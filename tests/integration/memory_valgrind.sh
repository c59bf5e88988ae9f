#!/usr/bin/env bash
# Memory: tests/helpers/lookup_loop (every entry point, ERANGE retries,
# declined names, the configuration replaced every 100 rounds) keeps the
# heap flat over 80,000 lookups, and under valgrind memcheck shows no leak
# and no invalid access. (LOOKUP_ROUNDS=125000 gives the million lookups.)
. "$TOP/tests/lib/common.sh"
export DOTS_CONF="$tmpdir/dots.conf" DOTS_STATE_DIR="$tmpdir/state"
mkdir -p "$DOTS_STATE_DIR"
out=$(LD_LIBRARY_PATH="$BUILD" "$BUILD/helpers/lookup_loop" -n "${LOOKUP_ROUNDS:-10000}" -r 100 2>&1) ||
	fail "heap not flat or a lookup failed: $out"
echo "ok: $out"
need valgrind
LD_LIBRARY_PATH="$BUILD" valgrind -q --vgdb=no --error-exitcode=9 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
	"$BUILD/helpers/lookup_loop" -n 300 -r 20 >/dev/null 2>"$tmpdir/vg"
rc=$?
[ $rc -eq 0 ] || fail "valgrind (exit $rc): $(head -n 40 "$tmpdir/vg")"
echo "ok: valgrind memcheck: no leak, no invalid access over 2400 lookups and 15 configuration changes"
