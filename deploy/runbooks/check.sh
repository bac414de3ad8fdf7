#!/usr/bin/env bash
# Runs every runbook of docs/runbooks.md against a running Sluice suite and reports per RB: ok / FAILED.
# docs/runbooks.md is the single source: this script only knows how its blocks are tagged
# (```sh rb-env | rb-setup | rb-check | rb-cleanup | rb-manual, and "# expect: jq F" / "# expect: grep RE" lines).
#
#   deploy/runbooks/check.sh              # every runbook (RB-1 … the highest '## RB-<n>' of the doc)
#   deploy/runbooks/check.sh RB-6 RB-13   # only these
#   deploy/runbooks/check.sh --lint       # parse and validate the doc only (no suite needed)
#
# The suite is found like the launcher finds it: SLUICE_BASE_PORT (or the SLUICE_*_URL variables), SLUICE_HOME
# (admin-token), SLUICE_ADMIN_TOKEN. See deploy/runbooks/README.md.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DOC="${RB_DOC:-$REPO/docs/runbooks.md}"
RB_TIMEOUT="${RB_TIMEOUT:-180}"
# Every runbook the doc has: RB-1 up to its highest number (the lint below wants each number in between).
RB_COUNT="$(sed -n 's/^## RB-\([0-9][0-9]*\) .*/\1/p' "$DOC" 2>/dev/null | sort -n | tail -1)"
RB_COUNT="${RB_COUNT:-0}"

die() { printf 'check.sh: %s\n' "$*" >&2; exit 2; }

LINT_ONLY=0
WANTED=()
for arg in "$@"; do
  case "$arg" in
    --lint) LINT_ONLY=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    RB-[0-9]*) WANTED+=("$arg") ;;
    *) die "unknown argument: $arg (expected RB-<n>, --lint or --help)" ;;
  esac
done

for tool in awk jq curl timeout; do
  command -v "$tool" >/dev/null || die "needs $tool"
done
[ -r "$DOC" ] || die "cannot read $DOC"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rb-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# --- parse: one directory per RB, one file per block (NNN.<kind>), expectations in NNN.expect, line in NNN.line --
# Untagged sh/bash blocks, unknown tags, blocks outside an RB (other than rb-env) and bad expect lines are errors.
awk -v out="$WORK" '
  function fail(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1 }
  /^## RB-[0-9]+[ \t]/ && !infence { rb = $2; n = 0; seen[rb] = 1; system("mkdir -p " out "/" rb); next }
  /^# / && !infence { rb = "" ; next }
  /^```/ && !infence {
    infence = 1; kind = ""
    if ($0 ~ /^```(sh|bash)[ \t]+rb-[a-z]+[ \t]*$/) {
      kind = $2; sub(/^rb-/, "", kind)
      if (kind !~ /^(env|setup|check|cleanup|manual)$/) { fail("unknown block tag rb-" kind); kind = "" ; next }
      if (kind == "env") { file = out "/env.sh"; envs++; next }
      if (rb == "") { fail("rb-" kind " block outside an RB section"); kind = ""; next }
      n++; base = sprintf("%s/%s/%03d", out, rb, n); file = base "." kind
      print FNR > (base ".line"); printf "" > file; printf "" > (base ".expect")
    } else if ($0 ~ /^```(sh|bash|shell|console)?[ \t]*$/ && $0 !~ /^```[ \t]*$/) {
      fail("untagged shell block: tag it rb-check, rb-setup, rb-cleanup or rb-manual")
    }
    next
  }
  /^```[ \t]*$/ && infence { infence = 0; if (kind != "") close(file); kind = ""; next }
  infence && kind != "" {
    print > file
    if ($0 ~ /^#[ \t]*expect:/) {
      e = $0; sub(/^#[ \t]*expect:[ \t]*/, "", e)
      if (kind != "check") fail("# expect: only belongs in rb-check blocks")
      else if (e !~ /^(jq|grep)[ \t]+[^ \t]/) fail("bad expect (want \"jq FILTER\" or \"grep REGEX\"): " e)
      else print e > (base ".expect")
    }
  }
  END {
    if (infence) fail("unclosed code fence")
    if (envs != 1) fail("want exactly one rb-env block, found " envs+0)
    exit bad
  }
' "$DOC" || die "$DOC does not parse (see above)"

lint_errors=0
for i in $(seq 1 "$RB_COUNT"); do
  rb="RB-$i"
  if [ ! -d "$WORK/$rb" ]; then
    echo "lint: $rb has no '## $rb' section" >&2; lint_errors=$((lint_errors + 1))
  elif ! compgen -G "$WORK/$rb/*.check" >/dev/null; then
    echo "lint: $rb has no rb-check block" >&2; lint_errors=$((lint_errors + 1))
  fi
done
for f in "$WORK"/RB-*/*.check; do
  [ -s "${f%.check}.expect" ] || {
    echo "lint: $DOC:$(cat "${f%.check}.line"): rb-check block without an '# expect:' line" >&2
    lint_errors=$((lint_errors + 1))
  }
done
[ "$lint_errors" -eq 0 ] || die "$lint_errors lint error(s) in $DOC"
if [ "$LINT_ONLY" -eq 1 ]; then
  echo "lint ok: $DOC ($(find "$WORK" -name '*.check' | wc -l) checked blocks, $(find "$WORK" -name '*.manual' | wc -l) manual)"
  exit 0
fi
[ "${#WANTED[@]}" -gt 0 ] || for i in $(seq 1 "$RB_COUNT"); do WANTED+=("RB-$i"); done

# --- preflight: the suite answers and the token is there (run the env block once) ---------------------------------
# shellcheck disable=SC1091
( cd "$REPO" && . "$WORK/env.sh" && [ -n "$SLUICE_ADMIN_TOKEN" ] &&
  for u in "$QM" "$RR" "$CS" "$RL" "$PM"; do
    curl -fsS -o /dev/null --max-time 5 "$u/q/health/live" || { echo "not answering: $u" >&2; exit 1; }
  done ) || die "no running suite (or no admin token); start one: SLUICE_DETACH=1 deploy/local/sluice up"

# --- run: one bash per RB; each block's stdout/stderr/exit status kept; then the expectations -----------------------
# Blocks run in the RB shell itself (a { } group, not a subshell) so variables carry to later steps.
make_script() { # $1 = RB dir
  local dir="$1" f base
  printf 'set -o pipefail\ncd %q || exit 99\n. %q\n' "$REPO" "$WORK/env.sh"
  for f in "$dir"/[0-9][0-9][0-9].*; do
    case "$f" in *.setup|*.check|*.cleanup) ;; *) continue ;; esac
    base="${f%.*}"
    printf '{\n%s\n} >%q 2>%q </dev/null\nprintf "%%s" "$?" >%q\n' "$(cat "$f")" "$base.out" "$base.err" "$base.rc"
  done
}

check_expect() { # $1 = output file, $2 = expectation; prints why it failed
  local out="$1" kind="${2%%[[:space:]]*}" arg="${2#*[[:space:]]}" results
  arg="${arg#"${arg%%[![:space:]]*}"}"
  case "$kind" in
    grep) grep -Eq -- "$arg" "$out" || { echo "no output line matches: $arg"; return 1; } ;;
    jq)
      results="$(jq -c "$arg" "$out" 2>&1)" || { echo "jq failed on the output: $results"; return 1; }
      [ -n "$results" ] || { echo "jq $arg: no JSON in the output"; return 1; }
      ! grep -qvx true <<<"$results" || { echo "jq $arg gave: $(tr '\n' ' ' <<<"$results" | cut -c1-200)"; return 1; }
      ;;
  esac
}

declare -A RESULT DETAIL
failed=0
for rb in "${WANTED[@]}"; do
  dir="$WORK/$rb"
  [ -d "$dir" ] || die "no section $rb in $DOC"
  start=$(date +%s)
  make_script "$dir" >"$dir/run.sh"
  timeout "$RB_TIMEOUT" bash "$dir/run.sh" >"$dir/run.out" 2>&1
  status=$?
  checks=0; manual=0; problem=""
  for f in "$dir"/[0-9][0-9][0-9].*; do
    base="${f%.*}"; kind="${f##*.}"; line="$(cat "$base.line")"
    case "$kind" in
      manual) manual=$((manual + 1)); continue ;;
      setup|check|cleanup) ;;
      *) continue ;;
    esac
    [ -n "$problem" ] && continue
    [ "$kind" = check ] && checks=$((checks + 1))
    if [ ! -f "$base.rc" ]; then
      problem="docs/runbooks.md:$line: rb-$kind block did not run (timeout ${RB_TIMEOUT}s? exit $status)"
    elif [ "$(cat "$base.rc")" != 0 ]; then
      problem="docs/runbooks.md:$line: rb-$kind block exited $(cat "$base.rc"): $(tail -c 300 "$base.err" | tr '\n' ' ')"
    elif [ "$kind" = check ]; then
      while IFS= read -r exp; do
        why="$(check_expect "$base.out" "$exp")" || {
          problem="docs/runbooks.md:$line: expect $exp -- $why; output: $(head -c 300 "$base.out" | tr '\n' ' ')"
          break
        }
      done <"$base.expect"
    fi
  done
  took=$(( $(date +%s) - start ))
  note="$checks checked blocks"
  [ "$manual" -gt 0 ] && note="$note, $manual manual step(s) not run (see the doc)"
  if [ -n "$problem" ]; then
    RESULT[$rb]=FAILED; DETAIL[$rb]="$problem"; failed=$((failed + 1))
  else
    RESULT[$rb]=ok; DETAIL[$rb]="$note"
  fi
  printf '%-6s %-6s %3ss  %s\n' "$rb" "${RESULT[$rb]}" "$took" "${DETAIL[$rb]}"
done

echo
if [ "$failed" -eq 0 ]; then
  echo "all ${#WANTED[@]} runbooks ok"
else
  echo "$failed of ${#WANTED[@]} runbooks FAILED"
  exit 1
fi
