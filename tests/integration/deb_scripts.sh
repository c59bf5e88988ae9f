# The libnss-dots maintainer scripts (debian/libnss-dots.{preinst,postinst,
# prerm,postrm}) and nsswitch-edit under real dpkg, in make check: a package
# holding just them is built with dpkg-deb (seconds, unlike dpkg-buildpackage)
# and put through tests/deb/dpkg-root.sh's lifecycle in a private dpkg root.
# The host's nsswitch.conf and dpkg database are never touched.
. "$TOP/tests/lib/common.sh"
need dpkg dpkg-deb

pkg=$tmpdir/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/usr/libexec/libnss-dots" "$tmpdir/debs"
install -m 755 "$TOP/debian/nsswitch-edit" "$pkg/usr/libexec/libnss-dots/"
for s in preinst postinst prerm postrm; do
	install -m 755 "$TOP/debian/libnss-dots.$s" "$pkg/DEBIAN/$s"
done
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: libnss-dots
Version: 0.0-test
Architecture: all
Maintainer: libnss-dots tests <test@libnss-dots.invalid>
Description: the maintainer scripts of libnss-dots, under test
CONTROL
dpkg-deb --root-owner-group --build "$pkg" "$tmpdir/debs/libnss-dots_0.0-test_all.deb" >/dev/null ||
	fail "dpkg-deb"
"$TOP/tests/deb/dpkg-root.sh" "$tmpdir/debs" || fail "maintainer scripts under dpkg"
