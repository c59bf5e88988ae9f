# debian/nsswitch-edit, which the package's postinst and prerm run, on copies
# of nsswitch.conf only (never the host's): every shape an operator or another
# package leaves, add → the expected line, add again → no change, remove →
# byte-identical to the original.
. "$TOP/tests/lib/common.sh"

edit=$TOP/debian/nsswitch-edit
rec=$tmpdir/record

# case NAME: the nsswitch.conf text on stdin, then the expected hosts and services lines.
check_case() {
	local name=$1 want_hosts=$2 want_services=$3 f=$tmpdir/$1
	cat >"$f.orig"
	cp "$f.orig" "$f"
	rm -f "$rec"
	sh "$edit" add "$f" "$rec" || fail "$name: add failed"
	expect_eq "$name: hosts" "$(grep -E '^[[:space:]]*hosts:' "$f" || true)" "$want_hosts"
	expect_eq "$name: services" "$(grep -E '^[[:space:]]*services:' "$f" || true)" "$want_services"
	cp "$f" "$f.once"
	sh "$edit" add "$f" "$rec" || fail "$name: second add failed"
	cmp -s "$f" "$f.once" || fail "$name: a second add changed the file"
	sh "$edit" remove "$f" "$rec" || fail "$name: remove failed"
	cmp -s "$f" "$f.orig" || { diff "$f.orig" "$f"; fail "$name: remove did not restore the file"; }
	[ ! -e "$rec" ] || fail "$name: record left after remove"
	echo "ok: $name restored"
}

check_case debian-default \
	"hosts:          files dots [NOTFOUND=return TRYAGAIN=return] dns" \
	"services:       db files dots" </usr/share/libc-bin/nsswitch.conf 2>/dev/null ||
check_case debian-default \
	"hosts:          files dots [NOTFOUND=return TRYAGAIN=return] dns" \
	"services:       db files dots" <<'EOF2'
passwd:         files
hosts:          files dns
networks:       files
services:       db files
EOF2

# What libnss-mdns's postinst leaves (with and without the full mdns4).
check_case libnss-mdns \
	"hosts:          files mdns4_minimal [NOTFOUND=return] dots [NOTFOUND=return TRYAGAIN=return] dns myhostname mdns4" \
	"services:       db files dots" <<'EOF2'
# /etc/nsswitch.conf
passwd:         files systemd
group:          files systemd
hosts:          files mdns4_minimal [NOTFOUND=return] dns myhostname mdns4
networks:       files
services:       db files
EOF2

# systemd-resolved answers every name: dots must come before it.
check_case resolved \
	"hosts: mymachines dots [NOTFOUND=return TRYAGAIN=return] resolve [!UNAVAIL=return] files myhostname dns" \
	"services: files dots" <<'EOF2'
hosts: mymachines resolve [!UNAVAIL=return] files myhostname dns
services: files
EOF2

# Tabs, runs of spaces, comments that mention dns and dots, no space after ':'.
check_case odd-spacing \
	"$(printf 'hosts:\t\tfiles   dots [NOTFOUND=return TRYAGAIN=return] dns  # not dns here, nor dots')" \
	"$(printf '  services:files dots\t# db dots')" <<'EOF2'
hosts:		files   dns  # not dns here, nor dots
#hosts: files dns
  services:files	# db dots
EOF2

# No dns on the line: dots goes last, before a comment.
check_case no-dns \
	"hosts: files dots [NOTFOUND=return TRYAGAIN=return] # local only" \
	"services: files dots" <<'EOF2'
hosts: files # local only
services: files
EOF2

# A word that only starts with dns or dots is not one.
check_case lookalikes \
	"hosts: files dnsx dots-old dots [NOTFOUND=return TRYAGAIN=return] dns" \
	"services: dotsy dots" <<'EOF2'
hosts: files dnsx dots-old dns
services: dotsy
EOF2

# Already edited by the operator: nothing is added, so nothing is removed.
f=$tmpdir/edited
printf 'hosts: files dots dns\nservices: files dots [UNAVAIL=return]\n' >"$f"
cp "$f" "$f.orig"
rm -f "$rec"
sh "$edit" add "$f" "$rec"
cmp -s "$f" "$f.orig" || fail "already-edited: add changed the file"
[ ! -e "$rec" ] || fail "already-edited: recorded lines it did not add"
sh "$edit" remove "$f" "$rec"
cmp -s "$f" "$f.orig" || fail "already-edited: remove took away the operator's dots"
echo "ok: already-edited left alone"

# Lines missing: a warning, no new line invented.
f=$tmpdir/missing
printf 'passwd: files\n' >"$f"
err=$(sh "$edit" add "$f" "$rec" 2>&1)
expect_eq "missing lines: file unchanged" "$(cat "$f")" "passwd: files"
case $err in *"no 'hosts:' line"*) echo "ok: missing hosts line reported" ;; *) fail "no warning: $err" ;; esac

# Other edits made while installed survive removal; an operator's own change to
# our action goes with dots (it belongs to it); a later removal by hand is fine.
f=$tmpdir/others
printf 'passwd: files\nhosts: files dns\nservices: files\n' >"$f"
rm -f "$rec"
sh "$edit" add "$f" "$rec"
sed -i -e 's/^passwd: files$/passwd: files systemd/' \
	-e 's/\[NOTFOUND=return TRYAGAIN=return\]/[NOTFOUND=return TRYAGAIN=return] [UNAVAIL=return]/' \
	-e 's/^services: files dots$/services: files/' "$f"
sh "$edit" remove "$f" "$rec"
expect_eq "other edits kept" "$(cat "$f")" "passwd: files systemd
hosts: files dns
services: files"

# A symlinked nsswitch.conf stays a symlink.
printf 'hosts: files dns\nservices: files\n' >"$tmpdir/real"
ln -s "$tmpdir/real" "$tmpdir/link"
rm -f "$rec"
sh "$edit" add "$tmpdir/link" "$rec"
[ -L "$tmpdir/link" ] || fail "symlink replaced by a file"
expect_eq "through the symlink" "$(head -n 1 "$tmpdir/real")" "hosts: files dots [NOTFOUND=return TRYAGAIN=return] dns"

# No file at all: nothing to do, success.
sh "$edit" add "$tmpdir/absent" "$rec" || fail "absent file is an error"
[ ! -e "$tmpdir/absent" ] || fail "absent file created"
echo "ok: absent file"
