package envcheck

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestPrint(t *testing.T) {
	tests := []struct {
		name    string
		results []Result
		wantOK  bool
		want    []string
	}{
		{"all pass", []Result{{Name: "a", Detail: "x"}, {Name: "b", Detail: "y"}}, true,
			[]string{"envcheck ok a: x", "envcheck ok b: y"}},
		{"one fails", []Result{{Name: "a", Detail: "x"}, {Name: "b", Err: errors.New("boom")}}, false,
			[]string{"envcheck ok a: x", "envcheck FAIL b: boom"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if got := Print(&buf, tt.results); got != tt.wantOK {
				t.Errorf("Print ok = %v, want %v", got, tt.wantOK)
			}
			if got := strings.Split(strings.TrimSpace(buf.String()), "\n"); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Print wrote %q, want %q", got, tt.want)
			}
		})
	}
}

// On the build machine, the checks that do not depend on the user pass.
func TestHostChecks(t *testing.T) {
	for _, c := range Checks {
		if c.Name == "user is nonroot" {
			continue
		}
		d, err := c.Run()
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
		} else if d == "" {
			t.Errorf("%s: no detail", c.Name)
		}
	}
}
