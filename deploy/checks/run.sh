#!/usr/bin/env bash
#
# deploy/checks/run.sh — validates everything in deploy/ without a Docker engine or a cluster:
#   compose      docker-compose config -q, then Dockerfiles + compose health checks/ports/dependencies
#   k8s          kubectl kustomize of overlays dev, prod and redis-cluster, then per-Deployment assertions
#   prometheus   promtool check config / check rules / test rules
#   grafana      dashboards are valid JSON with datasource/instance variables and no fixed datasource uid;
#                alerts carry summary, description, runbook_url; metric names of dashboards and rules exist
#   metrics      optional: promtool check metrics on each service's live /q/metrics (when one answers)
#
# Usage: deploy/checks/run.sh
# Environment:
#   SLUICE_CHECK_HOST      where to look for running services            [127.0.0.1]
#   SLUICE_BASE_PORT       first service port, as for deploy/local/sluice [8081]
#   SLUICE_CHECK_METRICS=0 skip the live /q/metrics step                  [unset]
# Needs: docker-compose, kubectl (kubernetes-client), promtool (prometheus), python3 with PyYAML, curl.
# deploy/local/sluice test installs them and runs this after mvn verify.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the work tree

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly CHECKS="$REPO_ROOT/deploy/checks"
readonly SERVICES=(query-monitor replica-router cache-service rate-limiter partition-manager)

OK=0 FAILED=0 SKIPPED=0
FAILED_STEPS=()

log() { printf '[deploy-checks] %s\n' "$*"; }

# step <name> <command...>: runs one check, records its result.
step() {
  local name="$1"; shift
  log "$name"
  if "$@"; then
    OK=$((OK + 1))
  else
    FAILED=$((FAILED + 1)); FAILED_STEPS+=("$name")
    log "FAILED: $name"
  fi
}

skip() { log "skipped: $*"; SKIPPED=$((SKIPPED + 1)); }

need_tools() {
  local missing=() pkgs=() cmd
  for cmd in docker-compose:docker-compose kubectl:kubernetes-client promtool:prometheus python3:python3 curl:curl; do
    command -v "${cmd%%:*}" >/dev/null 2>&1 || { missing+=("${cmd%%:*}"); pkgs+=("${cmd##*:}"); }
  done
  python3 -c 'import yaml' 2>/dev/null || { missing+=("python3 yaml"); pkgs+=(python3-yaml); }
  ((${#missing[@]} == 0)) && return 0
  printf '[deploy-checks] ERROR: missing: %s\n' "${missing[*]}" >&2
  printf '[deploy-checks] install with: sudo apt-get install -y %s\n' "${pkgs[*]}" >&2
  exit 1
}

compose_config() {
  docker-compose -f "$REPO_ROOT/deploy/compose/docker-compose.yml" config -q \
    && docker-compose -f "$REPO_ROOT/deploy/compose/docker-compose.yml" config | python3 "$CHECKS/check_containers.py"
}

kustomize_overlay() {  # kustomize_overlay <dev|prod|redis-cluster>
  local rendered errors
  errors="$(mktemp)"
  # kustomize v5 warns that the v2.0.3 fields we keep for kubectl 1.20 are deprecated; show stderr on failure only.
  rendered="$(kubectl kustomize "$REPO_ROOT/deploy/k8s/overlays/$1" 2>"$errors")" || { cat "$errors" >&2; rm -f "$errors"; return 1; }
  rm -f "$errors"
  python3 "$CHECKS/check_k8s.py" "$1" <<<"$rendered"
}

prometheus_rules() {
  promtool check config "$REPO_ROOT/deploy/compose/prometheus/prometheus.yml" \
    && promtool check rules "$REPO_ROOT"/deploy/prometheus/rules/*.yml \
    && promtool test rules "$REPO_ROOT"/deploy/prometheus/tests/*.yml
}

shell_scripts() {
  shellcheck "$CHECKS/run.sh" "$REPO_ROOT"/deploy/compose/postgres/*.sh
}

# Fetches the live /q/metrics of every service that answers into $METRICS_DIR; prints how many answered.
fetch_live_metrics() {
  local host="${SLUICE_CHECK_HOST:-127.0.0.1}" base="${SLUICE_BASE_PORT:-8081}" i n=0
  for i in "${!SERVICES[@]}"; do
    # Text 0.0.4, the format promtool check metrics reads (the OpenMetrics default carries trace exemplars).
    if curl -fsS --max-time 5 -H "Accept: text/plain; version=0.0.4" "http://$host:$((base + i))/q/metrics" -o "$METRICS_DIR/${SERVICES[$i]}.txt" 2>/dev/null; then
      n=$((n + 1))
    else
      rm -f "$METRICS_DIR/${SERVICES[$i]}.txt"
    fi
  done
  echo "$n"
}

live_metrics() {
  local f rc=0
  for f in "$METRICS_DIR"/*.txt; do
    python3 "$CHECKS/check_live_metrics.py" "$(basename "$f" .txt)" "$f" || rc=1
  done
  return "$rc"
}

main() {
  need_tools
  METRICS_DIR="$(mktemp -d)"
  trap 'rm -rf "$METRICS_DIR"' EXIT
  local live=0
  if [[ "${SLUICE_CHECK_METRICS:-}" != 0 ]]; then live="$(fetch_live_metrics)"; fi

  step "compose: docker-compose config, Dockerfiles" compose_config
  step "k8s: kustomize overlays/dev" kustomize_overlay dev
  step "k8s: kustomize overlays/prod" kustomize_overlay prod
  step "k8s: kustomize overlays/redis-cluster" kustomize_overlay redis-cluster
  step "prometheus: promtool check config, check rules, test rules" prometheus_rules
  # shellcheck disable=SC2046 # word splitting of the file list is intended
  step "grafana + alerts + names: dashboard variables, alert annotations, metric names" \
    python3 "$CHECKS/check_observability.py" $(find "$METRICS_DIR" -name '*.txt' | sort)
  if command -v shellcheck >/dev/null 2>&1; then
    step "shellcheck: deploy scripts" shell_scripts
  else
    skip "shellcheck not installed (apt-get install -y shellcheck)"
  fi
  if [[ "${SLUICE_CHECK_METRICS:-}" == 0 ]]; then
    skip "live /q/metrics (SLUICE_CHECK_METRICS=0)"
  elif ((live == 0)); then
    skip "live /q/metrics: no service answers on ${SLUICE_CHECK_HOST:-127.0.0.1}:${SLUICE_BASE_PORT:-8081}+ (start one with deploy/local/sluice up)"
  else
    step "metrics: promtool check metrics on $live live /q/metrics" live_metrics
  fi

  log "deploy checks: $OK ok, $FAILED failed, $SKIPPED skipped"
  ((FAILED == 0)) || { log "failed: ${FAILED_STEPS[*]}"; exit 1; }
}

main "$@"
