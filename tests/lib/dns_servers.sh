# Sourced after common.sh by DNS tests. Provides:
#   start_nsd PORTVAR ZONE=FILE...   nsd in the foreground on 127.0.0.1:PORT
#                                    (NSD_NETNS=NAME NSD_PORT_FIXED=53: inside a namespace;
#                                    NSD_ADDRESS=A: listen on A instead of 127.0.0.1)
#                                    (sets NSD_PID)
#   start_relay PORTVAR UPSTREAM_PORT [relay args]   tests/lib/dns_relay.py
#   start_named PORTVAR ZONE=FILE... BIND (named -g) on 127.0.0.1:PORT, authoritative;
#                                    it rotates RRsets, so order bugs show (sets NAMED_PID)
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

start_named() {
	local var=$1; shift
	need named named-checkconf
	local _port dir zones="" z _pid
	_port=$(free_port)
	dir="$tmpdir/named.$_port"
	mkdir -p "$dir"
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
	start_bg _pid named -g -n 1 -c "$dir/named.conf" 2>"$dir/named.log"
	wait_for 10 dig +time=1 +tries=1 @127.0.0.1 -p "$_port" SOA "${1%%=*}" ||
		fail "named did not start: $(tail -n 20 "$dir/named.log")"
	printf -v "$var" '%s' "$_port"
	NAMED_PID=$_pid
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
