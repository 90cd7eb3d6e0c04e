package linkmode

// SchemaVersion is the version of the JSON reports of this tool. It changes
// only when a field is removed or changes meaning.
const SchemaVersion = 1

// Report is the JSON output of `linkmode plan -json`.
type Report struct {
	SchemaVersion int      `json:"schema_version"`
	Patterns      []string `json:"patterns,omitempty"`   // go list patterns, if facts came from go list
	FactsFile     string   `json:"facts_file,omitempty"` // -facts file, if any
	Tags          []string `json:"tags,omitempty"`       // -tags
	Results       []Result `json:"results"`              // one per platform, in request order
}

// Result is the outcome for one platform: a plan, or an error.
type Result struct {
	Platform string `json:"platform"`
	OK       bool   `json:"ok"`
	Plan     *Plan  `json:"plan,omitempty"`
	Error    string `json:"error,omitempty"`
	// Packages are, on error, the packages that make the platform
	// impossible (for example the ones that need cgo).
	Packages []string `json:"packages,omitempty"`
}

// NewResult wraps the outcome of Decide.
func NewResult(platform string, p *Plan, err error) Result {
	r := Result{Platform: platform, OK: err == nil, Plan: p}
	if err != nil {
		r.Plan = nil
		r.Error = err.Error()
		if ie, ok := AsImpossible(err); ok {
			r.Packages = ie.Packages
		}
	}
	return r
}
