package gazelle

import (
	"strings"
	"testing"
)

// checkErr checks err against want, the substrings an error must contain
// (none: err must be nil). It returns whether the test should go on to
// check the result, that is, whether err is nil.
func checkErr(t *testing.T, err error, want []string) bool {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return true
	}
	if err == nil {
		t.Fatalf("no error, want one containing %q", want)
	}
	for _, s := range want {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	return false
}
