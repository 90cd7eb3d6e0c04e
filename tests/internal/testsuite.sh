# Sourced by tools/test (not run on its own): the bookkeeping of its sections and counted
# results, and the program that counts the results in the logs of `bazel test` and `go test`.
# The caller sets LOGDIR (a directory for this run's logs) and runs from the repository root.

passed=0
failed=0
T0=$(date +%s)
t_section=$T0
timings=()
section_title=

# section TITLE: prints the title; the previous section's time is recorded.
section() {
  end_section
  section_title=$*
  printf '\n=== %s\n' "$*"
}

end_section() {
  local now
  now=$(date +%s)
  [[ -n "$section_title" ]] && timings+=("$(printf '%5d s  %s' $((now - t_section)) "$section_title")")
  t_section=$now
}

# check NAME CMD...: one counted result.
check() {
  local name=$1
  shift
  if "$@"; then
    echo "PASS: $name"
    passed=$((passed + 1))
  else
    echo "FAIL: $name"
    failed=$((failed + 1))
  fi
}

TESTCOUNT="$LOGDIR/testcount"

# build_testcount GO...: builds tests/internal/cmd/testcount into $LOGDIR with $GO_TOOL_GO when
# set, else with the go command GO...
build_testcount() {
  local go=("$@")
  [[ -n "${GO_TOOL_GO:-}" ]] && go=("$GO_TOOL_GO")
  env CGO_ENABLED=0 "${go[@]}" build -o "$TESTCOUNT" ./tests/internal/cmd/testcount >"$LOGDIR/testcount.log" 2>&1 ||
    { echo "building tests/internal/cmd/testcount failed:"; cat "$LOGDIR/testcount.log"; }
}

# tally KIND EXIT LOG: prints what testcount finds in LOG, the log of `bazel test` (KIND bazel)
# or `go test -v` (KIND go) whose exit status was EXIT, and adds its counts to the totals.
tally() {
  local report p f
  if ! report=$("$TESTCOUNT" "$@" 2>&1); then
    echo "FAIL: counting the results in $3 (tests/internal/cmd/testcount): $report"
    failed=$((failed + 1))
    return
  fi
  printf '%s\n' "$report"
  read -r p _ f _ <<<"${report##*: }" # the last line: "LABEL: N passed, N failed"
  passed=$((passed + p))
  failed=$((failed + f))
}

# summary: ends the last section, prints the time of each and the total, then the line
# "N passed, N failed"; fails when anything failed.
summary() {
  end_section
  echo
  echo "=== time per section"
  printf '%s\n' "${timings[@]}"
  echo "total: $(($(date +%s) - T0)) s"
  echo
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
