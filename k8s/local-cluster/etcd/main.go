// etcd for the local cluster: the etcd server's own entry point, built inside this module because
// `go install go.etcd.io/etcd/server/v3` refuses (its go.mod has replace directives).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
