#!/usr/bin/env bash
# End-to-end tests of Kino in Debian's headless Chromium and ffmpeg, against the REAL system:
#
#   e2e/run.sh                 starts `./kino demo` (embedded PostgreSQL, control API + web app, media server,
#                              packaging worker; it generates, packages and publishes a clip) on free ports with
#                              a temporary data.dir, waits until it says it is running, runs every test, stops it
#   e2e/run.sh --url URL       runs the tests against a Kino that is already running at URL (e.g. your own
#                              ./kino demo), for quick iterations on the web app: nothing is started or stopped
#   e2e/run.sh [...] -- ARGS   arguments for `node --test` instead of tests/ (e.g. -- tests/hls.test.js)
#
# Needs: Node.js 20+ (npm), Debian's chromium and ffmpeg (apt-get install -y chromium ffmpeg; never
# `npx playwright install`), a JDK 17 for ./kino. Installs its npm dependencies itself (npm ci).
# Environment: KINO_START_TIMEOUT (seconds, default 900; includes a build when ./kino finds sources newer than
# its jar), E2E_TIMEOUT_MS (per wait, default 90000), KINO_KEEP_DATA=1 (keep the temporary data.dir and the
# console log for diagnosis), CHROMIUM_PATH (default /usr/bin/chromium).
# OpenID provider: mock-oauth2-server from ~/.m2 on a free port, given to the demo and to the tests (KINO_OIDC_ISSUER).
# Output: screenshots and browser logs in e2e/artifacts/; exit status non-zero when a test fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
ATTACH=""
NODE_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) [[ $# -ge 2 ]] || { echo "run.sh: --url needs a URL" >&2; exit 2; }; ATTACH="${2%/}"; shift 2 ;;
    --) shift; NODE_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#NODE_ARGS[@]} -gt 0 ]] || NODE_ARGS=(tests/)

# ---- prerequisites: fail at once, naming what to install -------------------------------------------------
missing=()
command -v node >/dev/null || missing+=("Node.js 20+ (apt-get install -y nodejs npm)")
command -v npm >/dev/null || missing+=("npm (apt-get install -y npm)")
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$CHROMIUM_PATH" ]] || missing+=("Chromium at $CHROMIUM_PATH (apt-get install -y chromium)")
command -v ffmpeg >/dev/null || missing+=("ffmpeg (apt-get install -y ffmpeg)")
command -v ffprobe >/dev/null || missing+=("ffprobe (apt-get install -y ffmpeg)")
[[ -n "$ATTACH" ]] || command -v java >/dev/null || missing+=("a JDK 17+ for ./kino (apt-get install -y openjdk-17-jdk-headless)")
if [[ ${#missing[@]} -gt 0 ]]; then
  printf 'run.sh: missing: %s\n' "${missing[@]}" >&2
  exit 1
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || { echo "run.sh: Node.js 20+ is needed (found $(node --version))" >&2; exit 1; }
export CHROMIUM_PATH

cd "$HERE"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p artifacts

run_tests() {
  local status=0
  node --test --test-concurrency=1 "${NODE_ARGS[@]}" || status=$?
  return $status
}

if [[ -n "$ATTACH" ]]; then
  export KINO_URL="$ATTACH"
  unset KINO_DEMO_HLS_URL
  # KINO_ADMIN_LOGIN/KINO_ADMIN_PASSWORD and KINO_MEDIA_METRICS_URL pass through from the caller's environment.
  run_tests
  exit $?
fi

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
CONTROL_PORT="$(free_port)"
MEDIA_PORT="$(free_port)"
while [[ "$MEDIA_PORT" == "$CONTROL_PORT" ]]; do MEDIA_PORT="$(free_port)"; done
# The media server's admin port (Prometheus /metrics with the CMCD figures: analytics.test.js reads it).
METRICS_PORT="$(free_port)"
while [[ "$METRICS_PORT" == "$CONTROL_PORT" || "$METRICS_PORT" == "$MEDIA_PORT" ]]; do METRICS_PORT="$(free_port)"; done
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kino-e2e-data.XXXXXX")"
LOG="$DATA_DIR/kino-console.log"
KINO_PID=""
IDP_PID=""

stop_kino() {
  local status=$?
  if [[ -n "$IDP_PID" ]] && kill -0 "$IDP_PID" 2>/dev/null; then
    kill -TERM "$IDP_PID" 2>/dev/null || true
    wait "$IDP_PID" 2>/dev/null || true
  fi
  if [[ -n "$KINO_PID" ]] && kill -0 "$KINO_PID" 2>/dev/null; then
    # ./kino execs java in its own process group (set -m below): stop the group, Ctrl-C style, then harder.
    kill -TERM -- "-$KINO_PID" 2>/dev/null || kill -TERM "$KINO_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$KINO_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$KINO_PID" 2>/dev/null || true
    wait "$KINO_PID" 2>/dev/null || true
  fi
  if [[ "${KINO_KEEP_DATA:-}" == 1 || $status -ne 0 ]]; then
    cp "$LOG" "$HERE/artifacts/kino-console.log" 2>/dev/null || true
  fi
  if [[ "${KINO_KEEP_DATA:-}" == 1 ]]; then
    echo "run.sh: kept $DATA_DIR" >&2
  else
    rm -rf "$DATA_DIR"
  fi
  exit $status
}
trap stop_kino EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ./kino rebuilds when sources are newer than its stamp; after `./mvnw verify` the jar is fresh, so skip that
# build when nothing under the sources is newer than the jar.
JAR="$REPO/app/target/kino-app.jar"
if [[ -z "${KINO_SKIP_BUILD:-}" && -f "$JAR" && -d "$REPO/app/target/lib" ]]; then
  newer=$(find "$REPO" \( -path "$REPO/.git" -o -name target -o -name node_modules -o -path "$REPO/e2e" -o -path "$REPO/data" \) -prune -o \
    \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' -o -path "$REPO/config/*" -o -path "$REPO/web/*" \) \
    -newer "$JAR" -print -quit)
  [[ -n "$newer" ]] || export KINO_SKIP_BUILD=1
fi

# A local OpenID provider for oidc.test.js: mock-oauth2-server (control-api's test dependency) through its own
# standalone main, with an interactive login form (the test types the subject and claims of each sign-in). Its
# jars come from the local Maven repository (offline); when they are absent (no `./mvnw verify` yet), the demo
# runs without a provider and oidc.test.js skips itself, saying why.
IDP_ISSUER_ID="e2e-idp"
OIDC_SET=()
KINO_OIDC_ISSUER=""
IDP_CP_FILE="$DATA_DIR/idp-classpath.txt"
# (e2e/idp/pom.xml names only the provider: no Kino module has to be installed; online, so a clean machine fetches it)
if (cd "$REPO" && ./mvnw -B -q -f e2e/idp/pom.xml dependency:build-classpath \
      "-Dmdep.outputFile=$IDP_CP_FILE") >"$DATA_DIR/idp-classpath.log" 2>&1 \
    && grep -q 'mock-oauth2-server' "$IDP_CP_FILE"; then
  IDP_PORT="$(free_port)"
  while [[ "$IDP_PORT" == "$CONTROL_PORT" || "$IDP_PORT" == "$MEDIA_PORT" ]]; do IDP_PORT="$(free_port)"; done
  SERVER_HOSTNAME=127.0.0.1 SERVER_PORT="$IDP_PORT" JSON_CONFIG='{"interactiveLogin":true}' \
    java -cp "$(cat "$IDP_CP_FILE")" no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt \
    </dev/null >"$DATA_DIR/idp.log" 2>&1 &
  IDP_PID=$!
  KINO_OIDC_ISSUER="http://127.0.0.1:$IDP_PORT/$IDP_ISSUER_ID"
  idp_deadline=$(( $(date +%s) + 60 ))
  until node -e "fetch('$KINO_OIDC_ISSUER/.well-known/openid-configuration').then((r) => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"; do
    if ! kill -0 "$IDP_PID" 2>/dev/null || (( $(date +%s) > idp_deadline )); then
      echo "run.sh: the OpenID provider (mock-oauth2-server) did not start; its output:" >&2
      tail -n 20 "$DATA_DIR/idp.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  # "<id> <issuer> <clientId> [scope ...]" and "<id>:<secret>" (README, "Sign-in with Google or another OpenID provider")
  OIDC_SET=(--set "oidc.providers=$IDP_ISSUER_ID $KINO_OIDC_ISSUER kino-e2e openid email profile"
    --set "oidc.clientSecrets=$IDP_ISSUER_ID:e2e-client-secret")
  echo "run.sh: OpenID provider (mock-oauth2-server) at $KINO_OIDC_ISSUER" >&2
else
  echo "run.sh: no OpenID provider: mock-oauth2-server's jars are not in the local Maven repository (run ./mvnw -B verify first); oidc.test.js will skip" >&2
fi

echo "run.sh: starting ./kino demo (control :$CONTROL_PORT, media :$MEDIA_PORT, data $DATA_DIR)" >&2
set -m
"$REPO/kino" demo \
  --set "data.dir=$DATA_DIR" \
  --set "control.host=127.0.0.1" --set "control.port=$CONTROL_PORT" \
  --set "control.publicUrl=http://127.0.0.1:$CONTROL_PORT" \
  --set "media.host=127.0.0.1" --set "media.port=$MEDIA_PORT" \
  --set "media.publicUrl=http://127.0.0.1:$MEDIA_PORT" \
  --set "metrics.host=127.0.0.1" --set "metrics.port=$METRICS_PORT" --set "control.adminPort=0" \
  --set "control.requireVerifiedEmail=none" \
  --set "control.loginAttemptsPerAddress=1000" \
  "${OIDC_SET[@]}" \
  </dev/null >"$LOG" 2>&1 &
KINO_PID=$!
set +m

# Ready = the demo printed "Kino is running" (after it packaged and published its clip) and the API answers.
BASE="http://127.0.0.1:$CONTROL_PORT"
deadline=$(( $(date +%s) + ${KINO_START_TIMEOUT:-900} ))
until grep -q '^Kino is running' "$LOG" 2>/dev/null \
  && node -e "fetch('$BASE/api/v1/titles?limit=1').then(async (r) => process.exit(r.ok && (await r.json()).items.length ? 0 : 1)).catch(() => process.exit(1))"; do
  if ! kill -0 "$KINO_PID" 2>/dev/null; then
    echo "run.sh: ./kino demo stopped before it was ready; the last lines of its output:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  if (( $(date +%s) > deadline )); then
    echo "run.sh: ./kino demo was not ready within ${KINO_START_TIMEOUT:-900} s; the last lines of its output:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  sleep 1
done

# What the demo prints: the signed HLS URL (for the ffmpeg test), the admin's credentials (admin tests) and the
# media server's /metrics URL (analytics test).
KINO_DEMO_HLS_URL="$(grep -m1 -o 'HLS (AES-128)[^:]*: *http[^ ]*' "$LOG" | grep -o 'http[^ ]*' || true)"
KINO_ADMIN_LOGIN="$(grep -m1 -E '^ +user name: ' "$LOG" | sed -E 's/^ +user name: *//' || true)"
KINO_ADMIN_PASSWORD="$(grep -m1 -E '^ +password: ' "$LOG" | sed -E 's/^ +password: *//' || true)"
KINO_MEDIA_METRICS_URL="$(grep -m1 -E '^ +Metrics: ' "$LOG" | grep -o 'http[^ ]*' || true)"
export KINO_URL="$BASE" KINO_DEMO_HLS_URL KINO_ADMIN_LOGIN KINO_ADMIN_PASSWORD KINO_MEDIA_METRICS_URL KINO_OIDC_ISSUER
echo "run.sh: Kino is ready at $KINO_URL (ready after $(( $(date +%s) - deadline + ${KINO_START_TIMEOUT:-900} )) s)" >&2

status=0
run_tests || status=$?
if [[ $status -ne 0 ]]; then
  echo "run.sh: tests failed; the last lines of Kino's output (all of it: e2e/artifacts/kino-console.log):" >&2
  tail -n 30 "$LOG" >&2
fi
exit $status
