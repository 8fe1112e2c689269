#!/usr/bin/env bash
# Writes Kino's playback token key ring as the JSON object the nginx edge reads with js_preload_object:
#   {"kid":"<standard base64 of the secret>", ...}
#
# Input: lines kid:base64, exactly as Kino reads them: the file <data.dir>/secrets/playback-token-keys that Kino
# generates, or the entries of tokens.keys (one per line). Blank lines and lines starting with '#' are skipped.
# Every kid the origin accepts must be in the edge's ring too (protocol/TOKENS.md §6, key rotation): after a
# rotation, regenerate the file and `nginx -s reload`.
#
#   umask 077; config/examples/nginx-edge/token-keys-json.sh data/secrets/playback-token-keys \
#       > /etc/nginx/kino-edge/token-keys.json
#
# The file holds secrets: nginx's master process reads it (as root) at start and reload, so it can stay 0600 and
# owned by root; worker processes never open it.
set -euo pipefail

input="${1:--}"
if [[ "$input" != "-" && ! -r "$input" ]]; then
  echo "token-keys-json.sh: cannot read $input" >&2
  exit 2
fi

declare -A seen=()
out=""
n=0
while IFS= read -r raw || [[ -n "$raw" ]]; do
  line="${raw#"${raw%%[![:space:]]*}"}"     # trim, as Kino does
  line="${line%"${line##*[![:space:]]}"}"
  [[ -z "$line" || "$line" == \#* ]] && continue
  kid="${line%%:*}"
  secret="${line#*:}"
  secret="${secret#"${secret%%[![:space:]]*}"}"
  if [[ "$line" != *:* || ! "$kid" =~ ^[A-Za-z0-9_-]{1,32}$ ]]; then
    echo "token-keys-json.sh: a playback token key must be written kid:base64, kid 1 to 32 of A-Z a-z 0-9 _ -" >&2
    exit 1
  fi
  if [[ ! "$secret" =~ ^[A-Za-z0-9+/]+={0,2}$ ]] || ! bytes=$(printf '%s' "$secret" | base64 -d 2>/dev/null | wc -c); then
    echo "token-keys-json.sh: the key of '$kid' is not valid base64" >&2
    exit 1
  fi
  if (( bytes < 32 )); then
    echo "token-keys-json.sh: the key of '$kid' is $bytes bytes; at least 32 are required" >&2
    exit 1
  fi
  if [[ -n "${seen[$kid]:-}" ]]; then
    echo "token-keys-json.sh: key id '$kid' appears twice" >&2
    exit 1
  fi
  seen[$kid]=1
  out+="${out:+,}\"$kid\":\"$secret\""   # kid and base64 need no JSON escaping
  n=$((n + 1))
done < <(if [[ "$input" == "-" ]]; then cat; else cat -- "$input"; fi)

if (( n == 0 )); then
  echo "token-keys-json.sh: no playback token key" >&2
  exit 1
fi
printf '{%s}\n' "$out"
