#!/usr/bin/env bash
# End-to-end tests of Kino's web app in Debian's headless Chromium.
#
#   e2e/run.sh                 starts the real Kino (`./kino demo`) with a temporary data.dir and free ports,
#                              waits until its demo title is in the catalogue, runs every test, stops it
#   e2e/run.sh --fixtures      runs the same tests against ffmpeg-made fixtures, a fixture media server and
#                              the mock API (e2e/lib), for developing the web app without the servers
#   e2e/run.sh [...] -- ARGS   extra arguments for `node --test` (e.g. -- tests/hls.test.js)
#
# Needs: Node.js 20+, Debian's chromium (apt-get install -y chromium; never `npx playwright install`), and
# for --fixtures Debian's ffmpeg. Environment: KINO_START_TIMEOUT (seconds, default 1200: the first
# ./kino run builds the project), E2E_TIMEOUT_MS (per wait, default 90000), KINO_KEEP_DATA=1 (keep the
# temporary data.dir for diagnosis), KINO_DEMO_COMMAND (default "demo"; "serve" works when a title exists).
# Screenshots go to e2e/artifacts/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
MODE=kino
NODE_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --fixtures) MODE=fixtures; shift ;;
    --) shift; NODE_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#NODE_ARGS[@]} -gt 0 ]] || NODE_ARGS=(tests/)

command -v node >/dev/null || { echo "run.sh: Node.js 20+ is needed" >&2; exit 1; }
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$CHROMIUM_PATH" ]] || { echo "run.sh: $CHROMIUM_PATH is missing: apt-get install -y chromium" >&2; exit 1; }
export CHROMIUM_PATH

cd "$HERE"
if [[ ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p artifacts

if [[ "$MODE" == fixtures ]]; then
  command -v ffmpeg >/dev/null || { echo "run.sh: --fixtures needs ffmpeg: apt-get install -y ffmpeg" >&2; exit 1; }
  if [[ ! -d "$REPO/control-api/target/classes/kino-web/vendor" ]]; then
    echo "run.sh: packaging the player libraries (control-api build)..." >&2
    (cd "$REPO" && ./mvnw -B -q -pl control-api -am package -Dmaven.test.skip=true)
  fi
  unset KINO_URL
  exec node --test --test-concurrency=1 "${NODE_ARGS[@]}"
fi

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
CONTROL_PORT="$(free_port)"
MEDIA_PORT="$(free_port)"
while [[ "$MEDIA_PORT" == "$CONTROL_PORT" ]]; do MEDIA_PORT="$(free_port)"; done
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kino-e2e-data.XXXXXX")"
LOG="$DATA_DIR/kino-console.log"
KINO_PID=""

stop_kino() {
  if [[ -n "$KINO_PID" ]] && kill -0 "$KINO_PID" 2>/dev/null; then
    kill -TERM "$KINO_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$KINO_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$KINO_PID" 2>/dev/null || true
    wait "$KINO_PID" 2>/dev/null || true
  fi
  if [[ "${KINO_KEEP_DATA:-}" == 1 ]]; then
    echo "run.sh: kept $DATA_DIR" >&2
  else
    rm -rf "$DATA_DIR"
  fi
}
trap stop_kino EXIT
trap 'exit 130' INT TERM

echo "run.sh: starting ./kino ${KINO_DEMO_COMMAND:-demo} (control :$CONTROL_PORT, media :$MEDIA_PORT, data $DATA_DIR)" >&2
"$REPO/kino" "${KINO_DEMO_COMMAND:-demo}" \
  --set "data.dir=$DATA_DIR" \
  --set "control.host=127.0.0.1" --set "control.port=$CONTROL_PORT" \
  --set "media.host=127.0.0.1" --set "media.port=$MEDIA_PORT" \
  --set "metrics.port=0" \
  >"$LOG" 2>&1 &
KINO_PID=$!

# Ready = the control API answers and the catalogue lists a title (demo packages and publishes its clip).
BASE="http://127.0.0.1:$CONTROL_PORT"
deadline=$(( $(date +%s) + ${KINO_START_TIMEOUT:-1200} ))
until node -e "
  fetch('$BASE/api/v1/titles?limit=1').then(async (r) => {
    const b = r.ok ? await r.json() : {};
    process.exit(r.ok && Array.isArray(b.items) && b.items.length ? 0 : 1);
  }).catch(() => process.exit(1));" 2>/dev/null; do
  if ! kill -0 "$KINO_PID" 2>/dev/null; then
    echo "run.sh: Kino stopped before it was ready; the last lines of its output:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  if (( $(date +%s) > deadline )); then
    echo "run.sh: Kino was not ready within ${KINO_START_TIMEOUT:-1200} s; the last lines of its output:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  sleep 2
done

# What demo prints about itself: admin credentials and URLs (kept for tests and for people reading the log).
ADMIN_LOGIN="$(grep -iEo 'admin[^:=]*(login|user(name)?|e-?mail)[[:space:]]*[:=][[:space:]]*[^[:space:],]+' "$LOG" | head -n1 | sed -E 's/.*[:=][[:space:]]*//' || true)"
ADMIN_PASSWORD="$(grep -iEo 'password[[:space:]]*[:=][[:space:]]*[^[:space:],]+' "$LOG" | head -n1 | sed -E 's/.*[:=][[:space:]]*//' || true)"
export KINO_URL="$BASE" KINO_MEDIA_URL="http://127.0.0.1:$MEDIA_PORT"
export KINO_ADMIN_LOGIN="$ADMIN_LOGIN" KINO_ADMIN_PASSWORD="$ADMIN_PASSWORD"
echo "run.sh: Kino is ready at $KINO_URL${ADMIN_LOGIN:+ (admin: $ADMIN_LOGIN)}" >&2

status=0
node --test --test-concurrency=1 "${NODE_ARGS[@]}" || status=$?
if [[ $status -ne 0 ]]; then
  echo "run.sh: tests failed; the last lines of Kino's output:" >&2
  tail -n 30 "$LOG" >&2
fi
exit $status
