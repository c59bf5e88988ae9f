# Files that are there but not what they seem (issue 14, items 10-12):
# a dangling dots.conf symlink fails closed; a state file the caller may not
# read says "permission denied", never "corrupt"; state left behind by
# vanished interfaces never hides a real one, and real interfaces past the
# bound are named in --explain.
. "$TOP/tests/lib/common.sh"
. "$TOP/tests/lib/dhcp_state.sh"
need setpriv

state=$tmpdir/state
mkdir -p "$state"
later=$(($(date +%s) + 3600))
# Loopback exists in every namespace: a real interface for the state files.
dhcp_state_write "$state/lo.v4" lo 4 "$later" "name evil.example.org" "address 192.0.2.66"
export DOTS_STATE_DIR=$state

# --- item 11: a dangling symlink is a bad file, not "no file" ---
printf 'trust *.example.net\n' >"$tmpdir/dots.conf.real"
ln -s "$tmpdir/dots.conf.real" "$tmpdir/dots.conf"
export DOTS_CONF=$tmpdir/dots.conf
"$BUILD/dots-discover" >/dev/null 2>&1
expect_eq "trust applies through the symlink: the DHCP name is refused" "$?" "2"
mv "$tmpdir/dots.conf.real" "$tmpdir/moved"
out=$("$BUILD/dots-discover" 2>&1)
expect_eq "dangling symlink: an error (exit 1), not the DHCP peer" "$?" "1"
echo "$out"
dots_getent ahosts dots-server >/dev/null
expect_eq "dangling symlink: getent finds nothing" "$?" "2"
err=$("$BUILD/dots-discover" --check 2>&1)
expect_eq "check says why" "$(grep -c 'dangling' <<<"$err")" "1"
# Only ENOENT on the path itself means "no file": then DHCP counts.
rm -f "$tmpdir/dots.conf"
expect_eq "no file at all: the DHCP peer" \
	"$("$BUILD/dots-discover" --json | json_rows address name)" "192.0.2.66|evil.example.org"

# --- item 12: not readable by the caller is not corrupt ---
chmod 0755 "$tmpdir" "$state"
chmod 0600 "$state/lo.v4"
nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
out=$("${nobody[@]}" env DOTS_CONF="$DOTS_CONF" DOTS_STATE_DIR="$state" \
	"$BUILD/dots-discover" --explain -m dhcp 2>&1)
expect_eq "nobody finds nothing" "$?" "2"
echo "$out" | grep 'dhcp: lo'
expect_eq "explain says permission denied" "$(grep -c 'lo: unreadable (permission denied) DHCPv4' <<<"$out")" "1"
expect_eq "and not corrupt" "$(grep -c corrupt <<<"$out")" "0"
out=$("${nobody[@]}" "$BUILD/dots-dhcp" show --state-dir "$state" 2>&1)
echo "$out"
expect_eq "dots-dhcp show says so too" "$(grep -c 'permission denied' <<<"$out")" "1"
chmod 0644 "$state/lo.v4"
expect_eq "readable again: nobody finds the peer" \
	"$("${nobody[@]}" env DOTS_CONF="$DOTS_CONF" DOTS_STATE_DIR="$state" \
		"$BUILD/dots-discover" --json -m dhcp | json_rows address)" "192.0.2.66"

# --- item 10: 40 state files of vanished interfaces sort before the real one ---
for i in $(seq -w 0 39); do
	dhcp_state_write "$state/gone$i.v4" "gone$i" 4 "$later" "address 192.0.2.$((100 + 10#$i))"
done
out=$("$BUILD/dots-discover" --explain --json -m dhcp 2>"$tmpdir/explain")
expect_eq "the real interface's peer survives 40 leftovers" "$(json_rows address interface <<<"$out")" \
	"192.0.2.66|lo"
expect_eq "explain counts the leftovers" \
	"$(grep -c '40 state file set(s) of interfaces that no longer exist (gone00, ...) ignored' "$tmpdir/explain")" "1"
expect_eq "explain shows the bound" \
	"$(grep -c 'dhcp: state for 1 interface(s) that exist (at most 32 are read)' "$tmpdir/explain")" "1"
rm -f "$state"/gone*

# --- item 10: more real interfaces than the bound: named, never silent ---
netns_add "dots-if-$uid"
for i in $(seq -w 0 2 38); do # veth pairs: no dummy driver in every kernel
	ip -n "dots-if-$uid" link add "dum$i" type veth peer name "dum$(printf %02d $((10#$i + 1)))" ||
		fail "veth pair"
done
for i in $(seq -w 0 39); do
	dhcp_state_write "$state/dum$i.v4" "dum$i" 4 "$later" "address 192.0.2.$((100 + 10#$i))"
done
out=$(ip netns exec "dots-if-$uid" "$BUILD/dots-discover" --explain --json -m dhcp 2>"$tmpdir/explain")
expect_eq "32 interfaces' peers" "$(json_rows address <<<"$out" | wc -l)" "32"
grep 'more than' "$tmpdir/explain"
expect_eq "explain names the ones left out" \
	"$(grep -c 'more than 32 interfaces have DHCP state: 9 ignored, from dum32 on' "$tmpdir/explain")" "1"
expect_eq "a left-out interface is still reachable by name" \
	"$(ip netns exec "dots-if-$uid" "$BUILD/dots-discover" --json -m dhcp -i dum39 | json_rows address)" \
	"192.0.2.139"
