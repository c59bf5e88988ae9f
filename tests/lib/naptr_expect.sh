# Sourced by naptr_*.sh: RFC 8973 Table 1 and Table 2 and how to read results.
# One line per peer: order transport address port channel.
table1=$'1 udp 2001:db8::1 5000 signal\n2 tcp 2001:db8::1 5001 signal\n3 tcp 2001:db8::1 5002 data\n4 tcp 2001:db8::2 443 data'
table2=$'1 udp 2001:db8::2 6000 call-home\n2 tcp 2001:db8::2 6001 call-home'

# rows CONF [dots-discover args]: the result as table rows.
rows() {
	local conf=$1; shift
	DOTS_CONF="$conf" "$BUILD/dots-discover" --json --method naptr "$@" | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    print(p["order"], p["transport"], p["address"], p["port"], p["channel"])'
}

# gh4_order CONF NAME: addresses in _nss_dots_gethostbyname4_r order, space-separated.
gh4_order() {
	DOTS_CONF="$1" LD_LIBRARY_PATH="$BUILD" "$BUILD/helpers/gh4" "$2" | grep -v '^status' | tr '\n' ' '
}
