#!/usr/bin/env bash
# Packager vs FFmpeg CLI benchmark: one 30 s 1080p25 H.264 + AAC source, a 4-rung ladder
# (1080/720/480/360, libx264 veryfast, 2 s GOP, 2 B-frames, AAC 128k), each run timed with /usr/bin/time -v.
# Writes packager/bench/results.md. Heavy: run it alone on the machine. Not a test.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/kino-bench.XXXXXX)}"
SECONDS_LEN="${BENCH_SECONDS:-30}"
mkdir -p "$WORK"

need_apt=()
command -v ffmpeg >/dev/null || need_apt+=(ffmpeg)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi

SRC="$WORK/src.mp4"
if [ ! -s "$SRC" ]; then
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t "$SECONDS_LEN" -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -g 50 \
    -c:a aac -b:a 192k -ac 2 "$SRC"
fi

# Classpath of the packager's test scope (BenchmarkMain lives there); -o: offline, nothing installed.
(cd "$REPO" && mvn -B -o -q -pl packager -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test)
CP="$REPO/packager/target/classes:$REPO/packager/target/test-classes:$(cat "$WORK/cp.txt")"

LADDER="1080:5000000,720:3000000,480:1500000,360:800000"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK/out"
/usr/bin/time -v -o "$WORK/packager.time" \
  java -cp "$CP" dev.kino.packager.bench.BenchmarkMain "$WORK/out" bench veryfast "$LADDER" "$SRC" \
  | tee "$WORK/packager.log"
LOAD_PACKAGER="$(cut -d' ' -f1-3 /proc/loadavg)"

# FFmpeg CLI: the same ladder in one command (decode once, split, scale, 4 x libx264, AAC), fragmented MP4 files.
mkdir -p "$WORK/cli"
X264="-preset veryfast -profile:v high -g 50 -keyint_min 50 -sc_threshold 0 -bf 2 -pix_fmt yuv420p"
/usr/bin/time -v -o "$WORK/cli.time" \
  ffmpeg -hide_banner -loglevel error -y -i "$SRC" \
  -filter_complex "[0:v]split=4[a][b][c][d];[a]scale=-2:1080:flags=bicubic[o1];[b]scale=-2:720:flags=bicubic[o2];[c]scale=-2:480:flags=bicubic[o3];[d]scale=-2:360:flags=bicubic[o4]" \
  -map "[o1]" -c:v libx264 $X264 -b:v 5000k -maxrate 7500k -bufsize 10000k -an -movflags +frag_keyframe+empty_moov+default_base_moof "$WORK/cli/1080.mp4" \
  -map "[o2]" -c:v libx264 $X264 -b:v 3000k -maxrate 4500k -bufsize 6000k -an -movflags +frag_keyframe+empty_moov+default_base_moof "$WORK/cli/720.mp4" \
  -map "[o3]" -c:v libx264 $X264 -b:v 1500k -maxrate 2250k -bufsize 3000k -an -movflags +frag_keyframe+empty_moov+default_base_moof "$WORK/cli/480.mp4" \
  -map "[o4]" -c:v libx264 $X264 -b:v 800k -maxrate 1200k -bufsize 1600k -an -movflags +frag_keyframe+empty_moov+default_base_moof "$WORK/cli/360.mp4" \
  -map 0:a -c:a aac -b:a 128k -ar 48000 -ac 2 -vn -movflags +frag_keyframe+empty_moov+default_base_moof "$WORK/cli/audio.mp4"
LOAD_CLI="$(cut -d' ' -f1-3 /proc/loadavg)"

# The same ladder with both protections (HLS AES-128 copy + DASH cenc copy: two copies of every track, both
# verified), then the remux-only case: the 1080p source packaged to one 1080p rung whose peak (12 Mb/s) admits the
# source's bitrate, so the source's H.264 packets are copied, not re-encoded.
rm -rf "$WORK/out-both" "$WORK/out-remux"
/usr/bin/time -v -o "$WORK/both.time" \
  java -Dbench.protection=BOTH -cp "$CP" dev.kino.packager.bench.BenchmarkMain "$WORK/out-both" bench veryfast \
  "$LADDER" "$SRC" | tee "$WORK/both.log"
LOAD_BOTH="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v -o "$WORK/remux.time" \
  java -Dbench.protection=BOTH -cp "$CP" dev.kino.packager.bench.BenchmarkMain "$WORK/out-remux" bench veryfast \
  "1080:8000000" "$SRC" | tee "$WORK/remux.log"
LOAD_REMUX="$(cut -d' ' -f1-3 /proc/loadavg)"

wall() { awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$1" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
rss() { awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$1"; }
cpu() { awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f", u+s}' "$1"; }
PW=$(wall "$WORK/packager.time"); CW=$(wall "$WORK/cli.time")
RATIO=$(awk -v a="$PW" -v b="$CW" 'BEGIN{printf "%.2f", a/b}')
{
  echo "# Packager benchmark results"
  echo
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(ffmpeg -version | head -1 | cut -d' ' -f1-3) (CLI), FFmpeg 7.1.1 via JavaCPP (packager)."
  echo "Source: ${SECONDS_LEN} s 1920x1080 25 fps H.264 (testsrc2) + 440 Hz sine AAC. Ladder $LADDER, x264 veryfast, GOP 2 s, AAC 128k."
  echo
  echo "| run | wall s | CPU s (user+sys) | peak RSS MiB |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| packager (decode, 4 rungs, thumbnails, CMAF, manifests, full verification) | $PW | $(cpu "$WORK/packager.time") | $(rss "$WORK/packager.time") |"
  echo "| ffmpeg CLI (decode, split, 4 x libx264, AAC, fMP4) | $CW | $(cpu "$WORK/cli.time") | $(rss "$WORK/cli.time") |"
  echo "| packager, AES-128 + cenc (two copies of every track, both verified) | $(wall "$WORK/both.time") | $(cpu "$WORK/both.time") | $(rss "$WORK/both.time") |"
  echo "| packager remux-only: one 1080p rung copied from the source, AES-128 + cenc | $(wall "$WORK/remux.time") | $(cpu "$WORK/remux.time") | $(rss "$WORK/remux.time") |"
  echo
  echo "Packager / CLI wall-time ratio: **$RATIO** (CPU-time ratio $(awk -v a="$(cpu "$WORK/packager.time")" -v b="$(cpu "$WORK/cli.time")" 'BEGIN{printf "%.2f", a/b}'))"
  echo
  echo "Remux-only: **$(awk -v m="$SECONDS_LEN" -v w="$(wall "$WORK/remux.time")" 'BEGIN{printf "%.1f", m/w}')x real time** (whole process, JVM start included)"
  echo
  echo "Load average (1/5/15 min): before $LOAD_BEFORE; after the packager $LOAD_PACKAGER; after the CLI $LOAD_CLI;"
  echo "after the protected run $LOAD_BOTH; after the remux run $LOAD_REMUX"
  echo
  echo "Packager phases:"
  echo
  echo '```'
  cat "$WORK/packager.log"
  echo '```'
  echo
  echo "AES-128 + cenc run:"
  echo
  echo '```'
  cat "$WORK/both.log"
  echo '```'
  echo
  echo "Remux-only run:"
  echo
  echo '```'
  cat "$WORK/remux.log"
  echo '```'
} > "$HERE/results.md"
cat "$HERE/results.md"
