// Command duckdb-hunt runs two of idtriage's detections as SQL in DuckDB
// over NDJSON logs, for bench/run.sh to compare with idtriage hunt on the
// same files. It prints one line per rule: the rule id and how many users
// it flagged.
package main

import (
	"database/sql"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/duckdb/duckdb-go/v2"
)

//go:embed detect.sql
var detectSQL string

func main() {
	logs := flag.String("logs", "", "folder of NDJSON logs (required)")
	threads := flag.Int("threads", 0, "DuckDB threads; 0 keeps DuckDB's default, every core")
	flag.Parse()
	if err := run(*logs, *threads); err != nil {
		fmt.Fprintf(os.Stderr, "duckdb-hunt: %v\n", err)
		os.Exit(1)
	}
}

func run(logs string, threads int) error {
	if logs == "" {
		return fmt.Errorf("-logs is required")
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	if threads > 0 {
		if _, err := db.Exec(fmt.Sprintf("SET threads = %d", threads)); err != nil {
			return fmt.Errorf("set threads: %w", err)
		}
	}
	rows, err := db.Query(detectSQL, filepath.Join(logs, "*.ndjson"))
	if err != nil {
		return fmt.Errorf("run detections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rule string
		var users int
		if err := rows.Scan(&rule, &users); err != nil {
			return fmt.Errorf("read result: %w", err)
		}
		fmt.Printf("%s %d\n", rule, users)
	}
	return rows.Err()
}
