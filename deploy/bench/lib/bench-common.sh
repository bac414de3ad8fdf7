# shellcheck shell=bash
#
# bench-common.sh — small helpers for deploy/bench/*-bench.sh scripts (sourced, not run). Used by bulk-bench.sh;
# replica-router-bench.sh still has its own copies of these (it predates this file).
#
#   bench_log / bench_warn / bench_die      progress and errors on stderr
#   bench_is_root, bench_as_pg_owner        initdb/pg_ctl refuse to run as root: run them as user postgres
#   bench_pg_bin                            the newest /usr/lib/postgresql/*/bin, or $BENCH_PG_BIN
#   bench_port_free <port>                  true when nothing listens on 127.0.0.1:<port>
#   bench_pid_is <pid> <text>               the pid is alive and its command line contains <text>
#   bench_stop_pid <pid> <text> <label>     SIGTERM, wait up to 15 s, then SIGKILL (only if bench_pid_is)
#   bench_pg_start <dir> <port> <log> [conf lines...]   initdb + start one throwaway node on 127.0.0.1
#   bench_pg_stop <dir>                     fast shutdown of that node
#   bench_cpu_snapshot <root pids...>       "<all ticks> <busy ticks> <ticks of the roots and descendants>"
#   bench_other_cpu_pct <snapshot> <roots...>  % of all CPU time used by *other* processes since the snapshot
#   bench_replace_section <file> <heading> <section file>  replace "## heading" in a Markdown file, or append it

bench_log()  { printf '[bench] %s\n' "$*" >&2; }
bench_warn() { printf '[bench] WARNING: %s\n' "$*" >&2; }
bench_die()  { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# bench_build <module>...: package the modules (and what they need: -am) when BENCH_BUILD=1 or a jar is missing.
# Building with -am in one reactor works on a fresh clone; nothing has to be installed by hand first.
bench_build() {
  local root m missing=0
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
  for m in "$@"; do [[ -f "$root/$m/target/quarkus-app/quarkus-run.jar" ]] || missing=1; done
  [[ "${BENCH_BUILD:-0}" == 1 || $missing == 1 ]] || return 0
  command -v mvn >/dev/null 2>&1 || bench_die "building $* needs mvn (apt-get install -y maven)"
  bench_log "building $* (mvn -B -q -DskipTests package -pl $(IFS=,; echo "$*") -am)"
  (cd "$root" && mvn -B -q -DskipTests package -pl "$(IFS=,; echo "$*")" -am) >&2 || bench_die "the build failed"
}

bench_is_root() { [[ "$(id -u)" -eq 0 ]]; }

bench_as_pg_owner() {
  if bench_is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

bench_pg_bin() {
  if [[ -n "${BENCH_PG_BIN:-}" ]]; then printf '%s' "${BENCH_PG_BIN%/}"; return 0; fi
  local initdb
  initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  [[ -x "$initdb" ]] && dirname "$initdb"
  return 0
}

bench_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bench_pid_is() {
  local pid="$1" text="$2" stat
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "${stat##*) }" != Z* ]] || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)" == *"$text"* ]]
}

bench_stop_pid() {
  local pid="$1" text="$2" label="$3"
  bench_pid_is "$pid" "$text" || return 0
  bench_log "stopping $label (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do bench_pid_is "$pid" "$text" || return 0; sleep 0.5; done
  bench_warn "$label did not stop; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# bench_pg_start <data dir> <port> <log file> [extra postgresql.conf lines...]; needs PG_BIN.
bench_pg_start() {
  local dir="$1" port="$2" log="$3" line
  shift 3
  mkdir -p "$(dirname "$dir")"
  if bench_is_root; then chown postgres:postgres "$(dirname "$dir")" "$(dirname "$log")"; fi
  bench_as_pg_owner "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$log.initdb" 2>&1 \
    || { tail -n 20 "$log.initdb" >&2; bench_die "initdb failed"; }
  {
    printf '\n# --- added by a deploy/bench script ---\n'
    printf "listen_addresses='127.0.0.1'\nport=%s\nunix_socket_directories='%s'\n" "$port" "$dir"
    for line in "$@"; do printf '%s\n' "$line"; done
  } >>"$dir/postgresql.conf"
  bench_as_pg_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$log" >&2; bench_die "PostgreSQL did not start on port $port"; }
}

bench_pg_stop() {
  local dir="$1" pid=""
  [[ -f "$dir/postmaster.pid" ]] && read -r pid <"$dir/postmaster.pid"
  bench_pid_is "$pid" "$dir" || return 0
  bench_log "stopping postgres (pid $pid)"
  bench_as_pg_owner "$PG_BIN/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

# User+nice+system ticks from /proc/stat (interrupt time cannot be attributed to a process), and the ticks of the
# given roots and all their descendants, live (utime+stime) or exited and reaped (cutime+cstime).
bench_cpu_snapshot() {
  local total busy ours
  read -r total busy < <(awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $2 + $3 + $4; exit }' /proc/stat)
  ours="$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v roots="$*" '
    { match($0, /.*\) /); n = split(substr($0, RLENGTH + 1), f, " "); if (n < 15) next
      parent[$1] = f[2]; ticks[$1] = f[12] + f[13] + f[14] + f[15] }
    END {
      m = split(roots, r, " "); for (i = 1; i <= m; i++) if (r[i] in ticks) mine[r[i]] = 1
      do { added = 0; for (p in parent) if (!(p in mine) && (parent[p] in mine)) { mine[p] = 1; added = 1 } } while (added)
      sum = 0; for (p in mine) sum += ticks[p]; print sum }')"
  printf '%s %s %s' "$total" "$busy" "${ours:-0}"
}

bench_other_cpu_pct() {
  local before="$1" after
  shift
  after="$(bench_cpu_snapshot "$@")"
  awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ")
    total = y[1] - x[1]; other = (y[2] - x[2]) - (y[3] - x[3]); if (other < 0) other = 0
    printf "%.0f", (total > 0 ? 100 * other / total : 0) }'
}

bench_replace_section() {
  local file="$1" heading="$2" section="$3" merged
  merged="$(mktemp)"
  [[ -f "$file" ]] || printf '# Benchmarks\n' >"$file"
  awk -v sec="$section" -v h="## $heading" '
    function emit(   line) { while ((getline line < sec) > 0) print line; close(sec) }
    /^## / { inside = 0; if ($0 == h) { emit(); inside = 1; done = 1; next } }
    !inside { print }
    END { if (!done) { print ""; emit() } }' "$file" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$merged"
  cat "$merged" >"$file"
  rm -f "$merged"
}

# bench_no_args <script> "$@": the scripts take their settings from BENCH_* variables only; --help prints the
# script's header comment (up to `set -euo`), any other argument stops it.
bench_no_args() {
  local script="$1"
  shift
  (($# > 0)) || return 0
  [[ "$1" == -h || "$1" == --help ]] && { sed -n '2,/^set -euo/p' "$script" | sed '$d; s/^# \{0,1\}//'; exit 0; }
  bench_die "no arguments are taken (settings are environment variables; see --help), got: $*"
}

# bench_command_line <script as run from the repo root>: this run's BENCH_* settings followed by the script,
# the line that repeats the run (for the docs).
bench_command_line() {
  compgen -e | { grep '^BENCH_' || true; } | sort | while read -r v; do printf '%s=%q ' "$v" "${!v}"; done
  printf '%s' "$1"
}
