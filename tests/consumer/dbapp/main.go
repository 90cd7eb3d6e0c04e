// Command dbapp links go-sqlite3, a cgo driver with a pure-Go stub: built with cgo off it
// compiles, and then sql.Open fails at run time. tools/test checks that rules_go_cross refuses it.
package main

import (
	"database/sql"
	"fmt"

	_ "github.com/mattn/go-sqlite3"
)

func main() { fmt.Println(sql.Drivers()) }
