# Every hosts line the documentation shows with dots before another source
# is the safe one: dots followed by [NOTFOUND=return TRYAGAIN=return] (or its
# equivalent [!UNAVAIL=return]), so that an unanswered dots-server never
# reaches the DNS search domains (README "Install and enable"). Reads
# README.md, the manual pages, conf/ and the demo; a line may show the
# unsafe form only as a counterexample, marked "(unsafe)" on the same line.
. "$TOP/tests/lib/common.sh"

cd "$TOP" || fail "no $TOP"
found=0 bad=
while IFS= read -r hit; do
	found=$((found + 1))
	line=${hit#*:*:}
	case $line in *"(unsafe)"*) continue ;; esac
	# The hosts line itself: from "hosts:" to the end or a closing backtick.
	entry=${line#*hosts:}
	entry=${entry%%\`*}
	# dots with nothing after it, or followed by one of the safe actions.
	if printf '%s\n' "$entry" | grep -Eq '(^|[[:space:]])dots[[:space:]]+[a-z]' &&
		! printf '%s\n' "$entry" | grep -Eq 'dots[[:space:]]+\[(NOTFOUND=return[[:space:]]+TRYAGAIN=return|TRYAGAIN=return[[:space:]]+NOTFOUND=return|!UNAVAIL=return)\]'; then
		bad+="$hit"$'\n'
	fi
done < <(grep -nE 'hosts:[[:space:]]+[^`]*(^|[[:space:]])dots([[:space:]]|$|`)' \
	README.md man/*.[1-8] conf/* tools/demo.sh 2>/dev/null)
[ "$found" -gt 0 ] || fail "no hosts line found: the pattern is broken"
[ -z "$bad" ] || fail "unsafe hosts lines in the documentation:
$bad"
echo "ok: $found hosts lines naming dots, all safe"
