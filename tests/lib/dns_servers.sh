# Sourced after common.sh by DNS tests. Provides:
#   start_nsd PORTVAR ZONE=FILE...   nsd in the foreground on 127.0.0.1:PORT
#                                    (NSD_NETNS=NAME NSD_PORT_FIXED=53: inside a namespace;
#                                    NSD_ADDRESS=A: listen on A instead of 127.0.0.1)
#                                    (sets NSD_PID)
#   start_relay PORTVAR UPSTREAM_PORT [relay args]   tests/lib/dns_relay.py
#   start_named PORTVAR ZONE=FILE... BIND (named -g) on 127.0.0.1:PORT, authoritative;
#                                    it rotates RRsets, so order bugs show (sets SERVER_PID)
#   start_unbound PORTVAR ZONE=PORT...  unbound (-d) as a resolver on 127.0.0.1:PORT that
#                                    sends each ZONE to 127.0.0.1@PORT (stub-zone), no
#                                    DNSSEC; a server there that refuses the zone makes
#                                    unbound answer SERVFAIL for it, at once
#   write_conf FILE LINES...         a dots.conf for the test
need nsd dig python3

start_nsd() {
	local var=$1; shift
	local _port dir zones="" z name file
	_port=${NSD_PORT_FIXED:-$(free_port)}
	dir="$tmpdir/nsd.${NSD_ADDRESS:-127.0.0.1}.$_port" # two may share a port in a namespace
	mkdir -p "$dir"
	for z in "$@"; do
		name=${z%%=*} file=${z#*=}
		zones+=$'zone:\n  name: '"$name"$'\n  zonefile: '"$file"$'\n'
	done
	cat >"$dir/nsd.conf" <<-CONF
	server:
	  ip-address: ${NSD_ADDRESS:-127.0.0.1}@$_port
	  username: ""
	  chroot: ""
	  zonesdir: "$dir"
	  pidfile: "$dir/nsd.pid"
	  xfrdfile: "$dir/xfrd.state"
	  zonelistfile: "$dir/zone.list"
	  database: ""
	  logfile: "$dir/nsd.log"
	  server-count: 1
	  verbosity: 1
	remote-control:
	  control-enable: no
	$zones
	CONF
	nsd-checkconf "$dir/nsd.conf" || fail "bad nsd.conf"
	local _pid
	start_bg _pid ${NSD_NETNS:+ip netns exec "$NSD_NETNS"} nsd -d -c "$dir/nsd.conf"
	wait_for 10 ${NSD_NETNS:+ip netns exec "$NSD_NETNS"} dig +time=1 +tries=1 @"${NSD_ADDRESS:-127.0.0.1}" -p "$_port" SOA "${1%%=*}" ||
		fail "nsd did not start: $(cat "$dir/nsd.log")"
	grep -q "error" "$dir/nsd.log" && fail "nsd: $(grep error "$dir/nsd.log")"
	printf -v "$var" '%s' "$_port"
	NSD_PID=$_pid
}

start_relay() {
	local var=$1 up=$2; shift 2
	local _port _pid log
	_port=$(free_port)
	log="$tmpdir/relay.$_port"
	start_bg _pid python3 "$TOP/tests/lib/dns_relay.py" --listen "$_port" \
		--upstream "127.0.0.1:$up" "$@" >"$log" 2>&1
	wait_for 10 grep -qx ready "$log" || fail "relay did not start: $(cat "$log")"
	printf -v "$var" '%s' "$_port"
}

# For start_named/start_unbound: a free port and a directory (the caller's
# locals _port and dir), then the server started and awaited (SOA of ZONE).
_server_dir() {
	_port=$(free_port)
	dir="$tmpdir/$1.$_port"
	mkdir -p "$dir"
}
_server_run() {
	local var=$1 zone=$2 log=$3 _pid
	shift 3
	start_bg _pid "$@"
	wait_for 10 dig +time=1 +tries=1 @127.0.0.1 -p "$_port" SOA "$zone" ||
		fail "$1 did not start: $(tail -n 20 "$log")"
	printf -v "$var" '%s' "$_port"
	SERVER_PID=$_pid
}

start_named() {
	local var=$1; shift
	need named named-checkconf
	local _port dir zones="" z
	_server_dir named
	for z in "$@"; do
		zones+="zone \"${z%%=*}\" { type primary; file \"${z#*=}\"; };"$'\n'
	done
	cat >"$dir/named.conf" <<-CONF
	options {
		directory "$dir";
		pid-file "$dir/named.pid";
		session-keyfile "$dir/session.key";
		managed-keys-directory "$dir";
		listen-on port $_port { 127.0.0.1; };
		listen-on-v6 { none; };
		recursion no;
		dnssec-validation no;
		notify no;
	};
	controls { };
	$zones
	CONF
	named-checkconf "$dir/named.conf" || fail "bad named.conf"
	_server_run "$var" "${1%%=*}" "$dir/named.log" sh -c 'exec named -g -n 1 -c "$1" 2>"$2"' \
		named "$dir/named.conf" "$dir/named.log"
}

start_unbound() {
	local var=$1; shift
	need unbound unbound-checkconf
	local _port dir stubs="" z
	_server_dir unbound
	for z in "$@"; do
		stubs+=$'stub-zone:\n  name: "'"${z%%=*}"$'"\n  stub-addr: 127.0.0.1@'"${z#*=}"$'\n'
	done
	cat >"$dir/unbound.conf" <<-CONF
	server:
	  interface: 127.0.0.1@$_port
	  port: $_port
	  do-ip6: no
	  username: ""
	  chroot: ""
	  directory: "$dir"
	  pidfile: "$dir/unbound.pid"
	  use-syslog: no
	  logfile: "$dir/unbound.log"
	  do-not-query-localhost: no
	  module-config: "iterator"
	  num-threads: 1
	  qname-minimisation: no
	  access-control: 127.0.0.0/8 allow
	remote-control:
	  control-enable: no
	$stubs
	CONF
	unbound-checkconf "$dir/unbound.conf" >/dev/null || fail "bad unbound.conf"
	_server_run "$var" "${1%%=*}" "$dir/unbound.log" unbound -d -c "$dir/unbound.conf"
}

write_conf() {
	local file=$1; shift
	printf '%s\n' "$@" >"$file"
}

# getent_gives_up CONF LIMIT_MS: getent through the module must fail (exit 2)
# and return well before LIMIT_MS (a hang guard, not a benchmark).
getent_gives_up() {
	local start rc ms
	start=$(date +%s%N)
	DOTS_CONF="$1" dots_getent ahosts dots-server >/dev/null
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	expect_eq "silent server: getent exit 2" "$rc" 2
	[ "$ms" -lt "$2" ] || fail "silent server: getent took $ms ms (limit $2)"
}
