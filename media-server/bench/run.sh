#!/usr/bin/env bash
# The origin against Debian's nginx, on the same files, same client, same machine, interleaved rounds.
#
#   media-server/bench/run.sh [--rounds N] [--duration 8s] [--out FILE] [--baseline JAR] [--cases "segment 64,playlist 1000"]
#   media-server/bench/run.sh --serve     (start the servers as for the rounds, print their URLs, wait for Ctrl-C:
#                                          for profiling or tracing one server under a load of your choice)
#
# --cases: only these of the four cases (segment|playlist × 64|1000 connections), for a quicker look at one of them.
# --baseline JAR: also runs a second Kino from another build's app jar (e.g. a copy of app/target/kino-app.jar and
#   its lib/ folder made before a change) in the same interleaved rounds (new Kino, baseline Kino, nginx), and prints
#   the new/baseline ratios too: on a noisy machine only such back-to-back comparisons mean anything.
#   KINO_JAVA_OPTS (environment) go to both Kinos; BENCH_BASELINE_JAVA_OPTS, when set, replace them for the baseline
#   (to compare JVM options on one build: --baseline app/target/kino-app.jar with other options).
#
# What it does:
#   1. packages a 12 s 1280x720 clip (FFmpeg testsrc2 with noise, so x264 spends its 3 Mb/s) into one 720p rung with
#      ./kino package, once, under media-server/bench/work/ (git-ignored);
#   2. starts ./kino media-server with its defaults (access log on) and nginx (2 workers, sendfile on, access log on,
#      secure_link MD5 tokens: the usual nginx way of signing URLs) on that folder, on free ports;
#   3. warms every server (both files, 3 s each at 16 then at 1,000 connections: Kino's JIT), then
#      runs wrk -t1 --latency for D per case, Kino then nginx then Kino ..., for N rounds: a media segment (~2 MB)
#      and the 720p media playlist, each at 64 and 1,000 connections, every request carrying a valid token;
#   4. prints every round (requests/s, p99, each server's CPU time per request and wrk's) and the median ratios
#      Kino/nginx, and writes them with the load average to --out.
# Needs: ffmpeg, nginx, wrk (apt-get install ffmpeg nginx-light wrk), a JDK 17 (./kino builds itself).
# 1,000 connections need ~2,100 file descriptors per process: the script raises the soft limit (ulimit -n) to the
# hard limit; if that is below 4096, raise the hard limit (/etc/security/limits.conf or `ulimit -Hn` as root).
set -euo pipefail

ROUNDS=2
DURATION=8s
OUT=""
BASELINE=""
CASES_ARG=""
SERVE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --baseline) BASELINE=$(realpath "$2"); shift 2 ;;
    --cases) CASES_ARG="$2"; shift 2 ;;
    --serve) SERVE=1; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/../.."
REPO=$(pwd)
WORK="$REPO/media-server/bench/work"
mkdir -p "$WORK"
for tool in ffmpeg nginx wrk; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "run.sh: $tool is required" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
if [ "$(ulimit -n)" -lt 4096 ]; then
  echo "run.sh: the file descriptor limit is $(ulimit -n); 1,000 connections need more (raise the hard limit)" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. The title.
TITLE=bench-720p
MEDIA="$WORK/media"
if [ ! -f "$MEDIA/$TITLE/master.m3u8" ]; then
  echo "== packaging a 12 s 720p clip into $MEDIA/$TITLE"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=25,noise=alls=25:allf=t+u" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 12 -c:v libx264 -preset veryfast -b:v 8M \
    -c:a aac -b:a 128k -pix_fmt yuv420p "$WORK/clip.mp4"
  ./kino package "$WORK/clip.mp4" --title "$TITLE" --out "$MEDIA" --ladder 720:3000k --protect aes-128 \
    --segment 6 --preset veryfast --set "data.dir=$WORK/data" >/dev/null
fi
SEGMENT=video-720p/seg-00001.m4s
PLAYLIST=video-720p.m3u8
echo "== files: $SEGMENT $(stat -c %s "$MEDIA/$TITLE/$SEGMENT") bytes, $PLAYLIST $(stat -c %s "$MEDIA/$TITLE/$PLAYLIST") bytes"

# 2. The servers.
KINO_PORT=$(free_port)
NGINX_PORT=$(free_port)
KINO_LOG="$WORK/kino.out"
./kino media-server --set "data.dir=$WORK/data" --set "media.root=$MEDIA" --set "media.host=127.0.0.1" \
  --set "media.port=$KINO_PORT" --set "metrics.port=0" >"$KINO_LOG" 2>&1 &
KINO_PID=$!
BASE_PID=""
if [ -n "$BASELINE" ]; then
  BASE_PORT=$(free_port)
  # same signing keys (so one token serves both), its own logs
  rm -rf "$WORK/data-baseline"; mkdir -p "$WORK/data-baseline"; cp -r "$WORK/data/secrets" "$WORK/data-baseline/"
  # shellcheck disable=SC2086
  java -XX:+UseG1GC ${BENCH_BASELINE_JAVA_OPTS-${KINO_JAVA_OPTS:-}} -jar "$BASELINE" media-server --set "data.dir=$WORK/data-baseline" \
    --set "media.root=$MEDIA" --set "media.host=127.0.0.1" --set "media.port=$BASE_PORT" --set "metrics.port=0" \
    >"$WORK/kino-baseline.out" 2>&1 &
  BASE_PID=$!
fi

NGX="$WORK/nginx"
rm -rf "$NGX"; mkdir -p "$NGX/logs" "$NGX/tmp"
SECRET=kino-bench-secret
cat >"$NGX/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 8192; }
http {
  include /etc/nginx/mime.types;
  types { video/iso.segment m4s; }
  access_log $NGX/logs/access.log;
  client_body_temp_path $NGX/tmp; proxy_temp_path $NGX/tmp; fastcgi_temp_path $NGX/tmp;
  uwsgi_temp_path $NGX/tmp; scgi_temp_path $NGX/tmp;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000; keepalive_timeout 75s;
  server {
    listen 127.0.0.1:$NGINX_PORT reuseport backlog=4096;
    location /s/ {
      secure_link \$arg_md5,\$arg_expires;
      secure_link_md5 "\$secure_link_expires\$uri $SECRET";
      if (\$secure_link = "") { return 403; }
      if (\$secure_link = "0") { return 410; }
      alias $MEDIA/;
    }
  }
}
EOF
"$NGINX" -c "$NGX/nginx.conf" -p "$NGX" &
NGINX_PID=$!

cleanup() {
  kill "$KINO_PID" "$NGINX_PID" $BASE_PID 2>/dev/null || true
  wait "$KINO_PID" "$NGINX_PID" $BASE_PID 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# 3. Signed URLs for both.
KINO_URL=""
for _ in $(seq 1 120); do
  if curl -s -o /dev/null "http://127.0.0.1:$KINO_PORT/healthz" 2>/dev/null || grep -q "media server on" "$KINO_LOG"; then
    KINO_URL=$(./kino sign "$TITLE" --ttl 6h --set "data.dir=$WORK/data" --set "media.root=$MEDIA" \
      --set "media.publicUrl=http://127.0.0.1:$KINO_PORT" 2>/dev/null | grep -o 'http://[^ ]*master.m3u8' | head -1)
    [ -n "$KINO_URL" ] && break
  fi
  sleep 0.5
done
[ -n "$KINO_URL" ] || { echo "run.sh: Kino did not start; see $KINO_LOG" >&2; exit 1; }
KINO_BASE=${KINO_URL%master.m3u8}
BASE_BASE=""
if [ -n "$BASELINE" ]; then
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$BASE_PORT/" 2>/dev/null && break
    sleep 0.5
  done
  BASE_BASE="http://127.0.0.1:$BASE_PORT${KINO_BASE#http://127.0.0.1:$KINO_PORT}"
fi
EXPIRES=$(( $(date +%s) + 21600 ))
nginx_url() {
  local uri="/s/$TITLE/$1"
  local md5
  md5=$(printf '%s' "$EXPIRES$uri $SECRET" | openssl md5 -binary | openssl base64 | tr '+/' '-_' | tr -d '=')
  echo "http://127.0.0.1:$NGINX_PORT$uri?md5=$md5&expires=$EXPIRES"
}
for f in "$SEGMENT" "$PLAYLIST"; do
  for url in "${KINO_BASE}$f" "$(nginx_url "$f")" ${BASE_BASE:+"${BASE_BASE}$f"}; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
    [ "$code" = 200 ] || { echo "run.sh: $url answered $code" >&2; exit 1; }
  done
  cmp -s <(curl -s "${KINO_BASE}$f") <(curl -s "$(nginx_url "$f")") || { echo "run.sh: $f differs" >&2; exit 1; }
done
KINO_JAVA_PID=$KINO_PID # ./kino execs java
NGINX_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
echo "== Kino on :$KINO_PORT (pid $KINO_PID), nginx on :$NGINX_PORT (pid $NGINX_PID)${BASELINE:+, baseline Kino ($BASELINE) on :$BASE_PORT (pid $BASE_PID)}; all answer 200 with the same bytes"

if [ -n "$SERVE" ]; then
  echo "== serving until interrupted:"
  for f in "$SEGMENT" "$PLAYLIST"; do
    echo "kino   ${KINO_BASE}$f"
    echo "nginx  $(nginx_url "$f")"
    [ -z "$BASELINE" ] || echo "base   ${BASE_BASE}$f"
  done
  echo "pids: kino $KINO_JAVA_PID, nginx $NGINX_PIDS${BASELINE:+, base $BASE_PID}"
  wait "$KINO_PID"
  exit 0
fi

# 4. Interleaved rounds.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average: $LOAD_BEFORE"
# CPU time (user + system, clock ticks) used so far by the given processes: a cost per request that, unlike
# requests/s, hardly depends on what else the machine is doing.
cpu_ticks() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$(( t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}') ))
  done
  echo "$t"
}
TICK_US=$(( 1000000 / $(getconf CLK_TCK) ))
run_wrk() { # url connections server-pids... → "rps p99ms server-cpu-us/req wrk-cpu-us/req [errors]"
  local url=$1 conns=$2; shift 2
  local out before after requests wrk_cpu
  before=$(cpu_ticks "$@")
  out=$(/usr/bin/time -f 'wrk-cpu %U %S' wrk -t1 -c"$conns" -d"$DURATION" --timeout 10s --latency "$url" 2>&1)
  after=$(cpu_ticks "$@")
  local rps p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  wrk_cpu=$(echo "$out" | awk '/^wrk-cpu/ {print $2 + $3}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print; }' | tr '\n' ' ')
  echo "$rps ${p99:-nan} $(awk -v t=$(( (after - before) * TICK_US )) -v n="${requests:-0}" 'BEGIN {printf "%.1f", n ? t / n : 0}') $(awk -v t="${wrk_cpu:-0}" -v n="${requests:-0}" 'BEGIN {printf "%.1f", n ? t * 1e6 / n : 0}') ${errors:-}"
}
declare -A RESULTS
CASES=("segment 64" "segment 1000" "playlist 64" "playlist 1000")
if [ -n "$CASES_ARG" ]; then
  IFS=, read -r -a CASES <<<"$CASES_ARG"
  for c in "${CASES[@]}"; do
    case "$c" in
      "segment 64"|"segment 1000"|"playlist 64"|"playlist 1000") ;;
      *) echo "run.sh: unknown case '$c' (segment|playlist and 64|1000, e.g. \"segment 64\")" >&2; exit 2 ;;
    esac
  done
fi
# Warm every server (JIT, page cache): playlists (hundreds of thousands of requests) then segments (a few
# thousand), at 16 connections, then both again at 1,000 connections (a thousand connection set-ups: Netty's pipeline
# set-up is compiled late otherwise). Kino's C2 compiler needs ~10,000 invocations of a path, and recompiles a method
# when a request takes a branch its first compilation never saw: with one 3 s segment warm-up at 16 connections
# (~2,000 segments), the first segment rounds ran while C2 was still compiling (perf, segment at 1,000 connections:
# 74 % of Kino's samples were the C2 compiler thread; JFR: compilations of the segment and connection set-up paths
# until ~50 s after the start), i.e. much of its "CPU per segment" was the JIT. A server runs for days; the rounds
# measure it warm, as nginx (no JIT) always is.
for warm in "$PLAYLIST 16" "$SEGMENT 16" "$PLAYLIST 1000" "$SEGMENT 1000"; do
  set -- $warm
  f=$1; c=$2
  wrk -t1 -c"$c" -d3s "${KINO_BASE}$f" >/dev/null 2>&1
  wrk -t1 -c"$c" -d3s "$(nginx_url "$f")" >/dev/null 2>&1
  [ -z "$BASELINE" ] || wrk -t1 -c"$c" -d3s "${BASE_BASE}$f" >/dev/null 2>&1
done
# per server: requests/s, p99, the server's CPU time per request (µs, user + system), wrk's CPU time per request
HEADER="| round | case | conns | Kino req/s | Kino p99 | Kino CPU µs/req | wrk CPU µs/req | nginx req/s | nginx p99 | nginx CPU µs/req | wrk CPU µs/req |"
[ -z "$BASELINE" ] || HEADER+=" base req/s | base p99 | base CPU µs/req | wrk CPU µs/req |"
ROWS="$HEADER"$'\n'"$(echo "$HEADER" | sed 's/[^|]\+/ --- /g')"
echo "$ROWS"
cells() { echo "$1" | awk '{printf " %s | %s ms | %s | %s |", $1, $2, $3, $4}'; }
for round in $(seq 1 "$ROUNDS"); do
  for c in "${CASES[@]}"; do
    set -- $c
    file=$SEGMENT; [ "$1" = playlist ] && file=$PLAYLIST
    k=$(run_wrk "${KINO_BASE}$file" "$2" "$KINO_JAVA_PID")
    n=$(run_wrk "$(nginx_url "$file")" "$2" $NGINX_PIDS)
    b=""
    [ -z "$BASELINE" ] || b=$(run_wrk "${BASE_BASE}$file" "$2" "$BASE_PID")
    RESULTS["$c|$round|kino"]=$k
    RESULTS["$c|$round|nginx"]=$n
    RESULTS["$c|$round|base"]=$b
    ROW="| $round | $1 | $2 |$(cells "$k")$(cells "$n")"
    [ -z "$BASELINE" ] || ROW+="$(cells "$b")"
    ERRS="$(echo "$k" | cut -s -d' ' -f5-)$(echo "$n" | cut -s -d' ' -f5- | sed 's/^./ nginx: &/')$(echo "$b" | cut -s -d' ' -f5- | sed 's/^./ base: &/')"
    echo "$ROW${ERRS:+ $ERRS}"
    ROWS+=$'\n'"$ROW${ERRS:+ $ERRS}"
  done
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$(echo "$1" | cut -d' ' -f1)" -v b="$(echo "$2" | cut -d' ' -f1)" 'BEGIN {printf "%.3f\n", a/b}'; }
SUMMARY="case | conns | Kino/nginx req/s (median of $ROUNDS rounds) | p99 Kino vs nginx (medians) | server CPU µs/req Kino vs nginx | wrk CPU µs/req Kino vs nginx"
SEP="--- | --- | --- | --- | --- | ---"
if [ -n "$BASELINE" ]; then
  SUMMARY+=" | baseline/nginx req/s | Kino/baseline req/s | p99 baseline"; SEP+=" | --- | --- | ---"
fi
SUMMARY+=$'\n'"$SEP"
for c in "${CASES[@]}"; do
  ratios=""; kp=""; np=""; bratios=""; kb=""; bp=""; kc=""; nc=""; kw=""; nw=""
  for round in $(seq 1 "$ROUNDS"); do
    k=${RESULTS["$c|$round|kino"]}; n=${RESULTS["$c|$round|nginx"]}; b=${RESULTS["$c|$round|base"]}
    ratios+=$(ratio "$k" "$n")$'\n'
    kp+=$(echo "$k" | cut -d' ' -f2)$'\n'; np+=$(echo "$n" | cut -d' ' -f2)$'\n'
    kc+=$(echo "$k" | cut -d' ' -f3)$'\n'; nc+=$(echo "$n" | cut -d' ' -f3)$'\n'
    kw+=$(echo "$k" | cut -d' ' -f4)$'\n'; nw+=$(echo "$n" | cut -d' ' -f4)$'\n'
    if [ -n "$BASELINE" ]; then
      bratios+=$(ratio "$b" "$n")$'\n'; kb+=$(ratio "$k" "$b")$'\n'; bp+=$(echo "$b" | cut -d' ' -f2)$'\n'
    fi
  done
  set -- $c
  SUMMARY+=$'\n'"$1 | $2 | $(printf '%s' "$ratios" | median) | $(printf '%s' "$kp" | median) ms vs $(printf '%s' "$np" | median) ms | $(printf '%s' "$kc" | median) vs $(printf '%s' "$nc" | median) | $(printf '%s' "$kw" | median) vs $(printf '%s' "$nw" | median)"
  if [ -n "$BASELINE" ]; then
    SUMMARY+=" | $(printf '%s' "$bratios" | median) | $(printf '%s' "$kb" | median) | $(printf '%s' "$bp" | median) ms"
  fi
done
echo
echo "$SUMMARY"
if [ -n "$OUT" ]; then
  {
    echo "Command: media-server/bench/run.sh --rounds $ROUNDS --duration $DURATION${BASELINE:+ --baseline $BASELINE}${CASES_ARG:+ --cases \"$CASES_ARG\"}"
    echo "Load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
    echo "Files: $SEGMENT $(stat -c %s "$MEDIA/$TITLE/$SEGMENT") B, $PLAYLIST $(stat -c %s "$MEDIA/$TITLE/$PLAYLIST") B"
    echo
    echo "$ROWS"
    echo
    echo "$SUMMARY"
  } >"$OUT"
fi
