# libnss-dots: one entry point. Targets: all check demo install bench fuzz clean.
#
# Sources are found by wildcard so that adding a file never needs an edit here:
#   nss_dots/nss_*.c      the NSS entry points (module only)
#   nss_dots/*.c          the discovery core (one PIC static library)
#   tools/NAME.c          one program each (dots-discover, dots-dhcp, ...)
#   examples/NAME.c       example clients of libdots.so.1 (built by check)
#   avahi-backend/*.c     dots-avahi, the only program linking avahi-client
#   tests/unit/*.c        Criterion unit tests, one binary
#   tests/glibc/*.c       Criterion tests through real glibc, one binary
#   tests/integration/*.sh  real-server tests, run by tests/run-integration

CC ?= gcc
BUILD ?= build
PREFIX ?= /usr
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR ?= $(PREFIX)/lib/$(MULTIARCH)
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# SAN=address,undefined builds everything with those sanitizers (check uses it).
SAN ?=
SANFLAGS := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all,)
# The runtimes a program not built with them preloads to load such a module.
comma := ,
SAN_RUNTIMES := $(subst address,asan,$(subst undefined,ubsan,$(subst thread,tsan,$(subst $(comma), ,$(SAN)))))
WERROR ?= -Werror
OPT ?= -O2

# 64-bit off_t and time_t everywhere: <dots.h>'s structs are libdots' ABI.
CPPFLAGS += -Iinclude -Inss_dots -Itests/lib -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64
CFLAGS ?= $(OPT) -g
CFLAGS += -std=gnu11 -Wall -Wextra $(WERROR) -fPIC -pthread $(SANFLAGS)
LDFLAGS += $(SANFLAGS) -pthread
CORE_LIBS := -lresolv -lbsd
# The module takes libbsd's few functions (strlcpy, reallocarray) statically:
# every process that resolves a name would otherwise map libbsd and libmd too
# (make bench, library cost: dlopen about 3x faster).
MODULE_LIBS := -lresolv -Wl,--push-state,-Bstatic -lbsd -Wl,--pop-state

NSS_SRCS := $(wildcard nss_dots/nss_*.c)
CORE_SRCS := $(filter-out $(NSS_SRCS),$(wildcard nss_dots/*.c))
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
NSS_OBJS := $(NSS_SRCS:%.c=$(BUILD)/obj/%.o)
CORE_LIB := $(BUILD)/libdotscore.a
MODULE := $(BUILD)/libnss_dots.so.2
# The library for DOTS client authors: the same core, only include/dots.h's API
# exported (nss_dots/libdots.map); libdots.so is the link for -ldots.
LIBDOTS := $(BUILD)/libdots.so.1
LIBDOTS_DEV := $(BUILD)/libdots.so $(BUILD)/dots.pc
DOTS_VERSION := $(shell sed -n 's/^\#define DOTS_VERSION "\(.*\)"/\1/p' include/dots.h)
EXAMPLE_BINS := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
TOOLS := $(patsubst tools/%.c,$(BUILD)/%,$(wildcard tools/*.c))
AVAHI_SRCS := $(wildcard avahi-backend/*.c)
AVAHI_BIN := $(if $(AVAHI_SRCS),$(BUILD)/dots-avahi,)
UNIT_SRCS := $(wildcard tests/unit/*.c)
GLIBC_SRCS := $(wildcard tests/glibc/*.c)
TESTLIB_SRCS := $(wildcard tests/lib/*.c)
TEST_BINS := $(BUILD)/test-unit $(BUILD)/test-glibc
# Manual pages: man/NAME.SECTION; a page that is only ".so other" is a link.
MAN_PAGES := $(wildcard man/*.[1-8])
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/helpers/%,$(wildcard tests/helpers/*.c))
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))

.SECONDARY:
MAKEFLAGS += --no-print-directory
.PHONY: all check check-unit check-glibc check-integration check-sanitize check-man check-fuzz check-tsan demo \
	install uninstall bench fuzz clean deb
all: $(MODULE) $(LIBDOTS) $(LIBDOTS_DEV) $(TOOLS) $(AVAHI_BIN)

# V=1 shows the full commands.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c $(wildcard include/*.h nss_dots/*.h tests/lib/*.h avahi-backend/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(CORE_LIB): $(CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Only _nss_dots_* is exported (nss_dots/libnss_dots.map); the core stays hidden.
$(MODULE): $(NSS_OBJS) $(CORE_LIB) nss_dots/libnss_dots.map
	$(CC) -shared -o $@ -Wl,-soname,libnss_dots.so.2 \
		-Wl,--version-script=nss_dots/libnss_dots.map -Wl,-z,defs -Wl,-z,now \
		$(LDFLAGS) $(NSS_OBJS) $(CORE_LIB) $(MODULE_LIBS)

# The whole core goes in (a shared library pulls no archive member by itself);
# libbsd statically as in the module, so libdots pulls only libc and libresolv.
$(LIBDOTS): $(CORE_LIB) nss_dots/libdots.map
	$(CC) -shared -o $@ -Wl,-soname,libdots.so.1 \
		-Wl,--version-script=nss_dots/libdots.map -Wl,-z,defs -Wl,-z,now \
		$(LDFLAGS) -Wl,--whole-archive $(CORE_LIB) -Wl,--no-whole-archive $(MODULE_LIBS)

$(BUILD)/libdots.so: $(LIBDOTS)
	ln -sf libdots.so.1 $@

# Written again by install, so that PREFIX/LIBDIR given there are the ones it names.
DOTS_PC_SED := sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(DOTS_VERSION)|' include/dots.pc.in
$(BUILD)/dots.pc: include/dots.pc.in include/dots.h Makefile
	$(DOTS_PC_SED) >$@

# Built as a client author would (only <dots.h> and -ldots), plus OpenSSL.
$(BUILD)/examples/%: examples/%.c include/dots.h $(LIBDOTS) $(BUILD)/libdots.so
	@mkdir -p $(dir $@)
	$(CC) -Iinclude -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 $(CFLAGS) $(LDFLAGS) -o $@ $< \
		-L$(BUILD) -ldots -lssl -lcrypto \
		-Wl,-rpath,$(abspath $(BUILD))

$(BUILD)/%: $(BUILD)/obj/tools/%.o $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(CORE_LIB) $(CORE_LIBS)

$(BUILD)/dots-avahi: $(AVAHI_SRCS:%.c=$(BUILD)/obj/%.o) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) -lavahi-client -lavahi-common

$(BUILD)/helpers/%: tests/helpers/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_LIB) $(CORE_LIBS)

# Benchmark programs; old-style RPATH so that glibc's dlopen finds the module
# and the floor.
$(BUILD)/bench/%: bench/%.c $(wildcard bench/*.h) $(CORE_LIB) $(MODULE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_LIB) $(CORE_LIBS) \
		-Wl,--disable-new-dtags,-rpath,$(abspath $(BUILD)):$(abspath $(BUILD))/bench

# The floor: a do-nothing NSS module (one fixed address), the baseline of
# what any module costs; built with the module's flags, never installed.
FLOOR := $(BUILD)/bench/libnss_floor.so.2
$(FLOOR): bench/floor/nss_floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -o $@ -Wl,-soname,libnss_floor.so.2 -Wl,-z,defs -Wl,-z,now $<

# These unit tests compile a core file themselves (to reach its locks).
$(BUILD)/obj/tests/unit/test_fork_backoff.o: nss_dots/naptr_backoff.c
$(BUILD)/obj/tests/unit/test_fork_log.o: nss_dots/log.c

$(BUILD)/test-unit: $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o) $(TESTLIB_SRCS:%.c=$(BUILD)/obj/%.o) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) -lcriterion

# Old-style RPATH: RUNPATH does not reach glibc's dlopen of NSS modules.
$(BUILD)/test-glibc: $(GLIBC_SRCS:%.c=$(BUILD)/obj/%.o) $(TESTLIB_SRCS:%.c=$(BUILD)/obj/%.o) $(CORE_LIB) $(MODULE)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(CORE_LIBS) -lcriterion \
		-Wl,--disable-new-dtags,-rpath,$(abspath $(BUILD))

check-unit: $(BUILD)/test-unit
	tests/run-criterion $(BUILD)/test-unit --jobs 2

check-glibc: $(BUILD)/test-glibc
	tests/run-criterion $(BUILD)/test-glibc --jobs 1

check-integration: all $(HELPER_BINS) $(EXAMPLE_BINS) $(BUILD)/test-glibc $(if $(SAN),$(BUILD)/sanitizer-preload)
	BUILD=$(abspath $(BUILD)) tests/run-integration

$(BUILD)/sanitizer-preload: Makefile
	@mkdir -p $(dir $@)
	echo '$(subst $() ,:,$(foreach r,$(SAN_RUNTIMES),$(shell $(CC) -print-file-name=lib$(r).so)))' >$@

# mandoc warnings are errors; a ".so" link must name an existing page.
check-man:
	@for p in $(MAN_PAGES); do \
		if head -n 1 $$p | grep -q '^\.so '; then \
			t=man/$$(basename "$$(sed -n '1s/^\.so //p' $$p)"); \
			test -f "$$t" || { echo "$$p: links to missing $$t"; exit 1; }; \
		else mandoc -Tlint -Wwarning $$p || exit 1; fi; \
	done; echo "man: $(words $(MAN_PAGES)) pages clean"

# Everything, then the unit, glibc and integration suites again under ASan+UBSan.
ASAN_MAKE := BUILD=build/asan SAN=address,undefined OPT=-O1
check: all $(TEST_BINS) $(HELPER_BINS) $(EXAMPLE_BINS) check-man check-fuzz
	$(MAKE) check-unit check-glibc
	$(MAKE) $(ASAN_MAKE) check-sanitize
	$(MAKE) check-tsan
	$(MAKE) check-integration
	$(MAKE) $(ASAN_MAKE) check-integration

check-sanitize: $(TEST_BINS) $(HELPER_BINS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run-criterion $(BUILD)/test-unit --jobs 2
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run-criterion $(BUILD)/test-glibc --jobs 1

demo:
	tools/demo.sh

# networkd-dispatcher states whose scripts ask (routable) or forget (off, no-carrier).
NETWORKD_DISPATCHER_STATES := routable off no-carrier
install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/doc/libnss-dots/examples
	install -m 644 $(MODULE) $(DESTDIR)$(LIBDIR)/libnss_dots.so.2
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(LIBDOTS) $(DESTDIR)$(LIBDIR)/libdots.so.1
	ln -sf libdots.so.1 $(DESTDIR)$(LIBDIR)/libdots.so
	install -D -m 644 include/dots.h $(DESTDIR)$(INCLUDEDIR)/dots.h
	install -d $(DESTDIR)$(PKGCONFIGDIR)
	$(DOTS_PC_SED) >$(DESTDIR)$(PKGCONFIGDIR)/dots.pc
	# dots-discover --save at boot and every 10 minutes (last known good).
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 644 conf/dots-save.service conf/dots-save.timer $(DESTDIR)$(SYSTEMDUNITDIR)/
ifneq ($(AVAHI_BIN),)
	install -D -m 755 $(AVAHI_BIN) $(DESTDIR)$(SBINDIR)/dots-avahi
	install -D -m 644 conf/dots-avahi.service $(DESTDIR)$(SYSTEMDUNITDIR)/dots-avahi.service
endif
	# Only an example: a missing /etc/dots.conf yields nothing, a copied
	# example would point dots-server at documentation addresses.
	install -m 644 conf/dots.conf $(DESTDIR)$(DATADIR)/doc/libnss-dots/examples/dots.conf
	# DHCP: the dhclient hook is live (dots-dhcp is on PATH); the request
	# lines and the other clients' hooks are examples to merge by hand.
	install -D -m 644 conf/dhclient-exit-hook $(DESTDIR)$(SYSCONFDIR)/dhcp/dhclient-exit-hooks.d/dots
	install -m 644 conf/dhclient.conf conf/dhcpcd.conf conf/dhcpcd-hook conf/udhcpc-script \
		$(DESTDIR)$(DATADIR)/doc/libnss-dots/examples/
	# DHCP clients that drop the options (systemd-networkd, NetworkManager's
	# own): one dispatcher script for both dispatchers, and the query timer.
	install -D -m 755 conf/dots-dhcp-dispatcher $(DESTDIR)$(SYSCONFDIR)/NetworkManager/dispatcher.d/60-dots
	for s in $(NETWORKD_DISPATCHER_STATES); do install -D -m 755 conf/dots-dhcp-dispatcher \
		$(DESTDIR)$(SYSCONFDIR)/networkd-dispatcher/$$s.d/60-dots; done
	install -D -m 644 -t $(DESTDIR)$(SYSTEMDUNITDIR) conf/dots-dhcp-query@.service conf/dots-dhcp-query@.timer
	for p in $(MAN_PAGES); do \
		install -D -m 644 $$p $(DESTDIR)$(MANDIR)/man$${p##*.}/$${p#man/}; done
	@echo "Installed. Enable with: hosts: files dots [NOTFOUND=return TRYAGAIN=return] dns  (see README)"
	@echo "Last known good: systemctl enable --now dots-save.timer"

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libnss_dots.so.2 \
		$(DESTDIR)$(LIBDIR)/libdots.so.1 $(DESTDIR)$(LIBDIR)/libdots.so \
		$(DESTDIR)$(INCLUDEDIR)/dots.h $(DESTDIR)$(PKGCONFIGDIR)/dots.pc \
		$(patsubst $(BUILD)/%,$(DESTDIR)$(BINDIR)/%,$(TOOLS)) \
		$(DESTDIR)$(SBINDIR)/dots-avahi $(DESTDIR)$(SYSTEMDUNITDIR)/dots-avahi.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dots-save.service $(DESTDIR)$(SYSTEMDUNITDIR)/dots-save.timer \
		$(DESTDIR)$(SYSCONFDIR)/dhcp/dhclient-exit-hooks.d/dots \
		$(DESTDIR)$(SYSCONFDIR)/NetworkManager/dispatcher.d/60-dots \
		$(foreach s,$(NETWORKD_DISPATCHER_STATES),$(DESTDIR)$(SYSCONFDIR)/networkd-dispatcher/$(s).d/60-dots) \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dots-dhcp-query@.service $(DESTDIR)$(SYSTEMDUNITDIR)/dots-dhcp-query@.timer \
		$(foreach p,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))

# The Debian packages (debian/), built from a copy of the tree's files in
# $(BUILD)/deb, then lintian and the maintainer scripts under real dpkg in a
# private root. Slow, so not part of check.
deb:
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/libnss-dots
	git ls-files --cached --others --exclude-standard | while read -r f; do \
		[ ! -e "$$f" ] || echo "$$f"; done | tar -cf - -T - | tar -xf - -C $(BUILD)/deb/libnss-dots
	cd $(BUILD)/deb/libnss-dots && \
		DEB_BUILD_OPTIONS="parallel=2 $(DEB_BUILD_OPTIONS)" dpkg-buildpackage -us -uc -b
	# lintian leaves its ELF caches (mldbm-elf-*) in TMPDIR: give it one of ours.
	mkdir -p $(BUILD)/deb/tmp && TMPDIR=$(abspath $(BUILD))/deb/tmp \
		lintian --fail-on error --info $(BUILD)/deb/*.changes
	tests/deb/dpkg-root.sh $(BUILD)/deb
	# The acceptance test of libdots again, on the installed libdots1 and libdots-dev.
	LIBDOTS_DEBS=$(abspath $(BUILD))/deb BUILD=$(abspath $(BUILD))/deb/libnss-dots/build \
		tests/run-integration tests/integration/libdots_install.sh

bench: all $(BENCH_BINS) $(FLOOR)
	BUILD=$(abspath $(BUILD)) tools/bench.sh

# The thread stress program with the module under ThreadSanitizer (build/tsan):
# config rewritten by rename and in place, DHCP state by rename.
TSAN_BUILD := build/tsan
check-tsan:
	$(MAKE) BUILD=$(TSAN_BUILD) SAN=thread OPT=-O1 $(TSAN_BUILD)/libnss_dots.so.2 \
		$(TSAN_BUILD)/helpers/stress
	rm -rf $(TSAN_BUILD)/stress && mkdir -p $(TSAN_BUILD)/stress
	for m in rename inplace; do \
		DOTS_CONF=$(abspath $(TSAN_BUILD))/stress/dots.conf DOTS_STATE_DIR=$(abspath $(TSAN_BUILD))/stress \
		TSAN_OPTIONS=halt_on_error=1:exitcode=66 LD_LIBRARY_PATH=$(TSAN_BUILD) \
		$(TSAN_BUILD)/helpers/stress -t 4 -n 1500 -w $$m || exit 1; done

# FUZZ_SECONDS per harness (tests/fuzz/fuzz_*.c), built into build/fuzz/.
fuzz:
	tools/fuzz.sh

# The seed corpora as a regression suite, then a few seconds of fuzzing each.
check-fuzz:
	tools/fuzz.sh --check

clean:
	rm -rf build
