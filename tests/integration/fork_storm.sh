#!/usr/bin/env bash
# Fork and clock (issue 13): a child forked at any moment (other threads
# mid-discovery, mid-cache-update, dots.conf being rewritten) resolves
# without crashing or hanging: 2000 children of tests/helpers/fork_storm.
# Under the sanitizer build (make check runs the integration suite on it
# too) every report or crash fails the test; a child that hangs is counted
# only (-H: GCC 12's libasan allocator is not fork-safe, see the helper).
. "$TOP/tests/lib/common.sh"
conf="$tmpdir/dots.conf"
out=$(env $module_env DOTS_CONF="$conf" DOTS_STATE_DIR="$tmpdir" "$BUILD/helpers/fork_storm" -n 2000 $(sanitized && echo -H) 2>&1)
rc=$?
echo "  info: $out"
expect_eq "2000 forked children resolve" "$rc" 0
