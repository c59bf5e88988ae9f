# Sourced by tests that check a peer's identity (RFC 8973 §8) after common.sh.
#   tls_ca               a test CA in $tmpdir/ca (ca.pem, ca.key), made once
#   tls_cert FILE NAME   a key and a server certificate for DNS-ID NAME signed
#                        by that CA: $tmpdir/ca/FILE.key and FILE.pem
#   tls_server VAR ADDR PORT FILE  openssl s_server -www in $ns on ADDR:PORT with
#                        certificate FILE, PID in VAR; returns once it accepts
need openssl

tls_ca() {
	[ -s "$tmpdir/ca/ca.pem" ] && return
	mkdir -p "$tmpdir/ca"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj "/CN=libnss-dots test CA" -keyout "$tmpdir/ca/ca.key" -out "$tmpdir/ca/ca.pem" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
		2>"$tmpdir/ca/openssl.log" || { cat "$tmpdir/ca/openssl.log" >&2; fail "test CA"; }
}

tls_cert() {
	local file=$tmpdir/ca/$1 name=$2
	tls_ca
	printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		"$name" >"$file.ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-subj "/CN=$name" -keyout "$file.key" -out "$file.csr" 2>>"$tmpdir/ca/openssl.log" &&
		openssl x509 -req -in "$file.csr" -CA "$tmpdir/ca/ca.pem" -CAkey "$tmpdir/ca/ca.key" \
			-CAcreateserial -days 2 -extfile "$file.ext" -out "$file.pem" 2>>"$tmpdir/ca/openssl.log" ||
		{ cat "$tmpdir/ca/openssl.log" >&2; fail "certificate for $name"; }
}

tls_server() {
	local var=$1 addr=$2 port=$3 file=$tmpdir/ca/$4
	start_bg "$var" ip netns exec "$ns" openssl s_server -quiet -www -accept "$addr:$port" \
		-cert "$file.pem" -key "$file.key"
	wait_for 10 ip netns exec "$ns" sh -c "ss -ltn | grep -qF ' $addr:$port '" ||
		fail "openssl s_server on $addr:$port did not start"
}
