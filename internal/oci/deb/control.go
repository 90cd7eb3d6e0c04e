package deb

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Control is one deb822 paragraph (a control file) with field order kept.
type Control struct {
	fields []field
}

type field struct {
	name  string
	value string // continuation lines joined with "\n", leading space kept
}

// ParseControl parses a single deb822 paragraph. Comment lines (#) are
// ignored; parsing stops at the first blank line.
func ParseControl(text []byte) (*Control, error) {
	c := &Control{}
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		if strings.TrimSpace(l) == "" {
			if len(c.fields) > 0 {
				break
			}
			continue
		}
		if strings.HasPrefix(l, "#") {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if len(c.fields) == 0 {
				return nil, fmt.Errorf("line %d: continuation line before any field", line)
			}
			c.fields[len(c.fields)-1].value += "\n" + l
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || name == "" {
			return nil, fmt.Errorf("line %d: expected \"Field: value\", got %q", line, l)
		}
		c.fields = append(c.fields, field{name: name, value: strings.TrimSpace(value)})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(c.fields) == 0 {
		return nil, fmt.Errorf("empty control paragraph")
	}
	return c, nil
}

// Get returns the value of field name (case-insensitive); for multi-line
// fields only the first line.
func (c *Control) Get(name string) string {
	for _, f := range c.fields {
		if strings.EqualFold(f.name, name) {
			first, _, _ := strings.Cut(f.value, "\n")
			return strings.TrimSpace(first)
		}
	}
	return ""
}

// Set replaces field name or, if absent, inserts it after the field named
// after (or at the end when after is not present).
func (c *Control) Set(name, value, after string) {
	for i := range c.fields {
		if strings.EqualFold(c.fields[i].name, name) {
			c.fields[i].value = value
			return
		}
	}
	f := field{name: name, value: value}
	for i := range c.fields {
		if strings.EqualFold(c.fields[i].name, after) {
			c.fields = append(c.fields[:i+1], append([]field{f}, c.fields[i+1:]...)...)
			return
		}
	}
	c.fields = append(c.fields, f)
}

// Clone returns an independent copy.
func (c *Control) Clone() *Control {
	return &Control{fields: append([]field(nil), c.fields...)}
}

// Bytes renders the paragraph, terminated by a newline.
func (c *Control) Bytes() []byte {
	var b bytes.Buffer
	for _, f := range c.fields {
		b.WriteString(f.name)
		b.WriteString(":")
		if f.value != "" && !strings.HasPrefix(f.value, "\n") {
			b.WriteString(" ")
		}
		b.WriteString(f.value)
		b.WriteString("\n")
	}
	return b.Bytes()
}

// StatusEntry renders the paragraph the way dpkg records an installed package
// in /var/lib/dpkg/status (and distroless in /var/lib/dpkg/status.d/<name>):
// the control paragraph with "Status: install ok installed" after Package.
func (c *Control) StatusEntry() []byte {
	s := c.Clone()
	s.Set("Status", "install ok installed", "Package")
	return s.Bytes()
}

// ParseControls parses every paragraph of a deb822 file with several, such as
// /var/lib/dpkg/status or a Packages index, in order.
func ParseControls(text []byte) ([]*Control, error) {
	var cs []*Control
	for n, para := range bytes.Split(bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n")), []byte("\n\n")) {
		if len(bytes.TrimSpace(para)) == 0 {
			continue
		}
		c, err := ParseControl(para)
		if err != nil {
			return nil, fmt.Errorf("paragraph %d: %w", n+1, err)
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// InstalledVersion returns the Version of package name in dpkg status data (the
// whole /var/lib/dpkg/status or one file of status.d), or "" when the package is
// not listed.
func InstalledVersion(status []byte, name string) (string, error) {
	cs, err := ParseControls(status)
	if err != nil {
		return "", err
	}
	for _, c := range cs {
		if c.Get("Package") == name {
			return c.Get("Version"), nil
		}
	}
	return "", nil
}
