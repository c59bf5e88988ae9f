#!/usr/bin/env bash
# libFuzzer harnesses (tests/fuzz/fuzz_NAME.c) built with clang
# -fsanitize=fuzzer,address,undefined into build/fuzz/, each run against its
# committed seed corpus (tests/fuzz/corpus/NAME/).
#
#   tools/fuzz.sh [--check] [NAME...]     (make fuzz / make check-fuzz)
#
# Default: fuzz each harness for FUZZ_SECONDS (60); new inputs are kept in
# build/fuzz/corpus/NAME (the committed corpus is not touched), findings in
# build/fuzz/artifacts/. Ends with one line per harness: executions, corpus.
# --check: every committed input once (the regression suite), then
# FUZZ_SECONDS (default 3) of fuzzing, nothing kept; a crash, leak or UB fails.
set -eu
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = --check ]; then check=true; shift; fi
seconds=${FUZZ_SECONDS:-$($check && echo 3 || echo 60)}
out=build/fuzz
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc not installed" >&2; exit 1; }

# The core, instrumented for coverage (fuzzer-no-link) and the sanitizers.
make -s BUILD=$out CC="$cc" SAN=fuzzer-no-link,address,undefined OPT="-O1 -gline-tables-only" \
	"$out/libdotscore.a" >/dev/null
flags="-std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Inss_dots -Itests/fuzz/lib
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do n=${f#tests/fuzz/fuzz_}; names+=("${n%.c}"); done
fi
for n in "${names[@]}"; do
	src=tests/fuzz/fuzz_$n.c bin=$out/fuzz_$n
	[ -f "$src" ] || { echo "fuzz: no harness $src" >&2; exit 1; }
	stale=false
	for dep in "$src" "$out/libdotscore.a" tests/fuzz/lib/* nss_dots/*.[ch] include/*.h; do
		[ "$bin" -nt "$dep" ] || stale=true
	done
	if $stale; then
		# shellcheck disable=SC2086
		$cc $flags -o "$bin" "$src" tests/fuzz/lib/*.c "$out/libdotscore.a" -lresolv -lbsd
	fi
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$out/artifacts"
status=0
for n in "${names[@]}"; do
	seeds=tests/fuzz/corpus/$n work=$out/corpus/$n log=$out/fuzz_$n.log
	# --check keeps nothing, and never touches what a `make fuzz` run is growing.
	! $check || { work=$out/check/$n log=$out/check/fuzz_$n.log; rm -rf "$work"; }
	mkdir -p "$seeds" "$work"
	opts=(-max_total_time="$seconds" -print_final_stats=1 -max_len=8192 -timeout=10
	      -rss_limit_mb=1024 -artifact_prefix="$out/artifacts/$n-")
	rc=0
	# Initialisation runs every input of both directories once: with --check
	# that is the regression suite; new inputs go only to the first one.
	"$out/fuzz_$n" "${opts[@]}" "$work" "$seeds" >"$log" 2>&1 || rc=$?
	! $check || rm -rf "$work" || true
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if grep -qE '^==[0-9]+==ERROR|^SUMMARY: |runtime error' "$log" || [ $rc -ne 0 ]; then
		echo "FAIL fuzz_$n: see $log"
		grep -m 5 -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | sed 's/^/    /'
		status=1
	else
		echo "ok   fuzz_$n: ${execs:-0} executions in ${seconds}s, $(ls "$seeds" | wc -l) seeds, no finding"
	fi
done
exit $status
