package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChoosePackages(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	if err := os.WriteFile(report, []byte(`{"base":"glibc","candidates":[],"binaries":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pkgs    []string
		report  string
		want    string
		wantErr string
	}{
		{name: "none", want: ""},
		{name: "one unnamed", pkgs: []string{"a.json"}, want: "a.json"},
		{name: "one named, no report", pkgs: []string{"static=s.json"}, want: "s.json"},
		{name: "chosen by report", pkgs: []string{"static=s.json", "musl=m.json", "glibc=g.json"}, report: report, want: "g.json"},
		{name: "single list, other name", pkgs: []string{"static=s.json"}, report: report, want: "s.json"},
		{name: "several without report", pkgs: []string{"static=s.json", "glibc=g.json"}, wantErr: "add -verify-report"},
		{name: "chosen base not given", pkgs: []string{"static=s.json", "musl=m.json"}, report: report, wantErr: `built on base "glibc"`},
		{name: "missing report", pkgs: []string{"a.json"}, report: filepath.Join(dir, "nope.json"), wantErr: "-verify-report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := choosePackages(tt.pkgs, tt.report)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("choosePackages = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
