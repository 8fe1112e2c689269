#!/usr/bin/env bash
# Packager vs FFmpeg CLI benchmark (not a test; heavy: run it alone on the machine).
#
# One 30 s 1080p25 H.264 + AAC source; a 4-rung ladder (1080/720/480/360, libx264 veryfast, 2 s closed GOPs,
# 2 B-frames, AAC 128k). The packager runs as a user runs it, `./kino package`; the FFmpeg CLI produces the same
# ladder in one command (decode once, split, 4 x scale + libx264, AAC, fragmented MP4). Each run is timed with
# /usr/bin/time -v. The runs are interleaved in rounds (packager with cenc, CLI, packager clear, packager with
# AES-128 + cenc) so that every round's runs see the same machine; the ratio is taken per round and the median
# reported. Then, once: the packager decoding every frame of every segment (packager.verify=every-frame) and the
# remux-only case. Writes packager/bench/results.md.
#
#   bash packager/bench/run.sh        # BENCH_ROUNDS=3, BENCH_SECONDS=30; BENCH_WORK=/tmp/dir keeps the files
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/kino-bench.XXXXXX)}"
SECONDS_LEN="${BENCH_SECONDS:-30}"
ROUNDS="${BENCH_ROUNDS:-3}"
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

# Build once, untimed (./kino rebuilds only when sources changed).
(cd "$REPO" && ./kino --version >/dev/null)

LADDER="1080:5000k,720:3000k,480:1500k,360:800k"
kino_package() { # NAME PROTECTION [extra ./kino options...]
  local name=$1 protect=$2; shift 2
  rm -rf "$WORK/out-$name"
  /usr/bin/time -v -o "$WORK/$name.time" env KINO_SKIP_BUILD=1 "$REPO/kino" package \
    --set data.dir="$WORK/data" --out "$WORK/out-$name" --title bench --ladder "$LADDER" --gop 2 \
    --preset veryfast --protect "$protect" "$@" "$SRC" >"$WORK/$name.log" 2>&1
}
ffmpeg_cli() { # NAME
  rm -rf "$WORK/cli"; mkdir -p "$WORK/cli"
  local x264="-preset veryfast -profile:v high -g 50 -keyint_min 50 -sc_threshold 0 -bf 2 -pix_fmt yuv420p"
  local frag="-movflags +frag_keyframe+empty_moov+default_base_moof"
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$WORK/$1.time" ffmpeg -hide_banner -loglevel error -y -i "$SRC" \
    -filter_complex "[0:v]split=4[a][b][c][d];[a]scale=-2:1080:flags=bicubic[o1];[b]scale=-2:720:flags=bicubic[o2];[c]scale=-2:480:flags=bicubic[o3];[d]scale=-2:360:flags=bicubic[o4]" \
    -map "[o1]" -c:v libx264 $x264 -b:v 5000k -maxrate 7500k -bufsize 10000k -an $frag "$WORK/cli/1080.mp4" \
    -map "[o2]" -c:v libx264 $x264 -b:v 3000k -maxrate 4500k -bufsize 6000k -an $frag "$WORK/cli/720.mp4" \
    -map "[o3]" -c:v libx264 $x264 -b:v 1500k -maxrate 2250k -bufsize 3000k -an $frag "$WORK/cli/480.mp4" \
    -map "[o4]" -c:v libx264 $x264 -b:v 800k -maxrate 1200k -bufsize 1600k -an $frag "$WORK/cli/360.mp4" \
    -map 0:a -c:a aac -b:a 128k -ar 48000 -ac 2 -vn $frag "$WORK/cli/audio.mp4"
}
wall() { awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$1" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
rss() { awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$1"; }
cpu() { awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f", u+s}' "$1"; }
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'; }

ROWS=""
RATIOS_CENC=""; RATIOS_CLEAR=""; RATIOS_BOTH=""
for r in $(seq 1 "$ROUNDS"); do
  l0=$(load)
  kino_package "cenc-$r" cenc
  ffmpeg_cli "cli-$r"
  kino_package "clear-$r" none
  kino_package "both-$r" aes-128+cenc
  c=$(wall "$WORK/cli-$r.time")
  for kind in cenc clear both cli; do
    f="$WORK/$kind-$r.time"
    ratio=$(awk -v a="$(wall "$f")" -v b="$c" 'BEGIN{printf "%.2f", a/b}')
    ROWS+="| $r | $kind | $(wall "$f") | $(cpu "$f") | $(rss "$f") | $ratio | $l0 |"$'\n'
  done
  RATIOS_CENC+="$(awk -v a="$(wall "$WORK/cenc-$r.time")" -v b="$c" 'BEGIN{printf "%.3f", a/b}')"$'\n'
  RATIOS_CLEAR+="$(awk -v a="$(wall "$WORK/clear-$r.time")" -v b="$c" 'BEGIN{printf "%.3f", a/b}')"$'\n'
  RATIOS_BOTH+="$(awk -v a="$(wall "$WORK/both-$r.time")" -v b="$c" 'BEGIN{printf "%.3f", a/b}')"$'\n'
done
kino_package every-frame cenc --set packager.verify=every-frame
ffmpeg_cli cli-every
# Remux-only: one 1080p rung whose peak (12 Mb/s) admits the source's bitrate, so the source's H.264 packets are
# copied, not re-encoded (and, being the source's, decoded frame by frame by the verification).
rm -rf "$WORK/out-remux"
/usr/bin/time -v -o "$WORK/remux.time" env KINO_SKIP_BUILD=1 "$REPO/kino" package --set data.dir="$WORK/data" \
  --out "$WORK/out-remux" --title bench --ladder "1080:8000k:12000k" --gop 2 --preset veryfast \
  --protect aes-128+cenc "$SRC" >"$WORK/remux.log" 2>&1

{
  echo "# Packager benchmark results"
  echo
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(ffmpeg -version | head -1 | cut -d' ' -f1-3) (CLI)," \
       "FFmpeg 7.1.1 via JavaCPP (packager), $(java -version 2>&1 | head -1)."
  echo "Source: ${SECONDS_LEN} s 1920x1080 25 fps H.264 (testsrc2) + 440 Hz sine AAC. Ladder $LADDER, x264 veryfast," \
       "GOP 2 s, 2 B-frames, AAC 128k. Packager: \`./kino package\` (HLS + DASH, I-frame playlists, thumbnails," \
       "poster, manifest.json, verification); \`cenc\` = one protected copy (HLS SAMPLE-AES-CTR + DASH), \`both\` ="
  echo "an HLS AES-128 copy (its I-frames as separately encrypted files) and a DASH cenc copy of every track, \`clear\` = none."
  echo
  echo "| round | run | wall s | CPU s (user+sys) | peak RSS MiB | wall / CLI wall | load before |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  printf "%s" "$ROWS"
  echo
  echo "Median packager / CLI wall-time ratio over $ROUNDS rounds: **cenc $(printf "%s" "$RATIOS_CENC" | median)**," \
       "clear $(printf "%s" "$RATIOS_CLEAR" | median), AES-128 + cenc $(printf "%s" "$RATIOS_BOTH" | median)"
  echo
  echo "Every-frame verification (\`--set packager.verify=every-frame\`), cenc: $(wall "$WORK/every-frame.time") s wall," \
       "$(cpu "$WORK/every-frame.time") s CPU; the CLI right after it: $(wall "$WORK/cli-every.time") s" \
       "(ratio $(awk -v a="$(wall "$WORK/every-frame.time")" -v b="$(wall "$WORK/cli-every.time")" 'BEGIN{printf "%.2f", a/b}'))"
  echo
  echo "Remux-only (one 1080p rung copied from the source, AES-128 + cenc): $(wall "$WORK/remux.time") s wall," \
       "$(cpu "$WORK/remux.time") s CPU, $(rss "$WORK/remux.time") MiB:" \
       "**$(awk -v m="$SECONDS_LEN" -v w="$(wall "$WORK/remux.time")" 'BEGIN{printf "%.1f", m/w}')x real time** (JVM start included)"
  echo
  echo "Last round's packager output (cenc):"
  echo
  echo '```'
  grep -v '^\s*$' "$WORK/cenc-$ROUNDS.log" | tail -n 8
  echo '```'
  echo
  echo "Remux-only output:"
  echo
  echo '```'
  grep -v '^\s*$' "$WORK/remux.log" | tail -n 8
  echo '```'
} > "$HERE/results.md"
cat "$HERE/results.md"
