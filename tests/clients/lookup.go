// lookup: how a Go program resolves a name (README "Clients"), standard
// library only. Prints "NAME ADDR... cname CNAME", addresses sorted; with
// cgo (the default where nsswitch.conf names a source Go does not know,
// such as dots) net.LookupHost goes through getaddrinfo and so the module,
// and net.LookupCNAME reports the reference identifier; with
// GODEBUG=netdns=go or CGO_ENABLED=0 Go asks the DNS itself and never
// sees the module.
package main

import (
	"fmt"
	"net"
	"os"
	"sort"
	"strings"
)

func main() {
	name := os.Args[1]
	addrs, err := net.LookupHost(name)
	if err != nil {
		fmt.Println(name, "error", err)
		os.Exit(2)
	}
	sort.Strings(addrs)
	cname, err := net.LookupCNAME(name)
	if err != nil {
		cname = "error"
	}
	fmt.Printf("%s %s cname %s\n", name, strings.Join(addrs, " "), cname)
}
