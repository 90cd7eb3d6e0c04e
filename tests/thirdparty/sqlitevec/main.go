//go:build cgo

// Command sqlitevec runs a vector query with github.com/asg017/sqlite-vec-go-bindings/cgo on
// github.com/mattn/go-sqlite3: C in one Go package calling C defined in another. The bindings'
// package compiles sqlite-vec.c, which calls the SQLite C API (sqlite3_create_module_v2,
// sqlite3_auto_extension, ...) defined in go-sqlite3's package (the SQLite amalgamation); only
// the binary's link brings the two together.
package main

import (
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"strings"

	sqlite_vec "github.com/asg017/sqlite-vec-go-bindings/cgo"
	_ "github.com/mattn/go-sqlite3"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	// Registers sqlite3_vec_init (the bindings' C) with sqlite3_auto_extension (go-sqlite3's C).
	sqlite_vec.Auto()
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	var version string
	if err := db.QueryRow("SELECT vec_version()").Scan(&version); err != nil {
		return fmt.Errorf("vec_version: %w", err)
	}
	if _, err := db.Exec("CREATE VIRTUAL TABLE items USING vec0(embedding float[3])"); err != nil {
		return fmt.Errorf("create vec0 table: %w", err)
	}
	for id, v := range map[int][]float32{1: {1, 0, 0}, 2: {0, 1, 0}, 3: {0.9, 0.1, 0}} {
		blob, err := sqlite_vec.SerializeFloat32(v)
		if err != nil {
			return err
		}
		if _, err := db.Exec("INSERT INTO items(rowid, embedding) VALUES (?, ?)", id, blob); err != nil {
			return fmt.Errorf("insert %d: %w", id, err)
		}
	}
	query, err := sqlite_vec.SerializeFloat32([]float32{0.8, 0.2, 0})
	if err != nil {
		return err
	}
	rows, err := db.Query("SELECT rowid, distance FROM items WHERE embedding MATCH ? AND k = 2 ORDER BY distance", query)
	if err != nil {
		return fmt.Errorf("knn query: %w", err)
	}
	defer rows.Close()
	var nearest []string
	for rows.Next() {
		var id int
		var distance float64
		if err := rows.Scan(&id, &distance); err != nil {
			return fmt.Errorf("knn row: %w", err)
		}
		nearest = append(nearest, fmt.Sprintf("%d (%.2f)", id, distance))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("knn rows: %w", err)
	}
	fmt.Printf("sqlite-vec %s: nearest to [0.8 0.2 0]: %s on %s/%s\n", version, strings.Join(nearest, ", "), runtime.GOOS, runtime.GOARCH)
	return nil
}
