#!/usr/bin/env bash
# Shard benchmark (issue: the shard job). Generates N espeak-ng utterances, then times on this
# machine, in one run and on the same files with a warm page cache:
#   nautilus prepare and shard (copy mode) end to end on embedded Spark, start-up included;
#   (a) tar cf of the same WAV files (the I/O limit);
#   (b) a single-process Python tarfile writer (what NeMo's converter does per worker);
#   (c) resample mode: nautilus shard audio.codec=wav audio.sample_rate=16000 vs
#       sox in.wav -r 16000 out.wav over the same files with 2 processes (xargs -P 2);
#   peak memory (max RSS) of shard with 10x larger shards.
# Usage: bench/shard_bench.sh [UTTERANCES] [WORKDIR]     (default 5000, /tmp/nautilus-bench)
# Needs: espeak-ng, fortunes, fortunes-min, sox, /usr/bin/python3, GNU time (/usr/bin/time).
set -euo pipefail
N="${1:-5000}"
WORK="${2:-/tmp/nautilus-bench}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
DATA="$WORK/data-$N"
OUT="$WORK/out-$N"
mkdir -p "$WORK"

if [ ! -f "$DATA/asr/train_manifest.json" ]; then
  echo "generating $N utterances in $DATA ..." >&2
  /usr/bin/python3 "$REPO/scripts/make_sample_data.py" --out "$DATA" --utterances "$N" \
    --split 0.98,0.01,0.01 --max-words 12 --jobs 2 --sets asr >&2
fi
MANIFEST="$DATA/asr/train_manifest.json"
FILES="$WORK/files-$N.txt"
/usr/bin/python3 -c "
import json,sys,os
d=os.path.dirname(sys.argv[1])
for l in open(sys.argv[1]): print(os.path.join(d, json.loads(l)['audio_filepath']))
" "$MANIFEST" > "$FILES"
COUNT=$(wc -l < "$FILES")
BYTES=$(xargs -a "$FILES" stat -c %s | awk '{s+=$1} END {print s}')
AUDIO_S=$(/usr/bin/python3 -c "
import json,sys; print(sum(json.loads(l)['duration'] for l in open(sys.argv[1])))" "$MANIFEST")
MB=$(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b/1e6}')

# Warm the page cache and the build so no run pays for them.
xargs -a "$FILES" cat > /dev/null
(cd "$REPO" && ./nautilus --version > /dev/null 2>&1)

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b-a}'; }
rss_of() { awk '/Maximum resident set size/ {printf "%.0f", $6/1024}' "$1"; }

rm -rf "$OUT"; mkdir -p "$OUT"
t0=$(now)
/usr/bin/time -v -o "$OUT/prepare.time" "$REPO/nautilus" prepare -c "$REPO/conf/prepare/asr.yaml" \
  "input.manifests=[$MANIFEST]" "output.dir=$OUT/prepared" normalize.allowed_chars=null \
  filter.max_duration=60.0 max_reject_fraction=1.0 > "$OUT/prepare.log" 2>&1
t1=$(now)
ACCEPTED=$(/usr/bin/python3 -c "import json; print(json.load(open('$OUT/prepared/stats.json'))['accepted'])")
# shard works on the accepted entries only (prepare drops content duplicates): rate it on those.
AUDIO_ACC=$(/usr/bin/python3 -c "import json; print(json.load(open('$OUT/prepared/stats.json'))['duration']['total_seconds'])")

SHARDS=$(( (COUNT + 99) / 100 ))
/usr/bin/time -v -o "$OUT/shard.time" "$REPO/nautilus" shard -c "$REPO/conf/shard/asr.yaml" \
  "input.prepared=[$OUT/prepared]" "output.dir=$OUT/shards" "shard.num_shards=$SHARDS" \
  shard.equal_count=false > "$OUT/shard.log" 2>&1
t2=$(now)
SHARD_BYTES=$(cat "$OUT"/shards/audio_*.tar | wc -c)

t3=$(now)
tar cf "$OUT/tarcf.tar" -T "$FILES"
t4=$(now)
/usr/bin/python3 - "$FILES" "$OUT/pytar.tar" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[2], "w") as t:
    for line in open(sys.argv[1]):
        p = line.strip()
        t.add(p, arcname=p.replace("/", "_"))
PY
t5=$(now)

/usr/bin/time -v -o "$OUT/shard_big.time" "$REPO/nautilus" shard -c "$REPO/conf/shard/asr.yaml" \
  "input.prepared=[$OUT/prepared]" "output.dir=$OUT/shards_big" "shard.num_shards=$(( (SHARDS + 9) / 10 ))" \
  shard.equal_count=false > "$OUT/shard_big.log" 2>&1

t6=$(now)
RESAMPLE_OK=1
/usr/bin/time -v -o "$OUT/resample.time" "$REPO/nautilus" shard -c "$REPO/conf/shard/asr.yaml" \
  "input.prepared=[$OUT/prepared]" "output.dir=$OUT/shards16k" "shard.num_shards=$SHARDS" \
  shard.equal_count=false audio.codec=wav audio.sample_rate=16000 > "$OUT/resample.log" 2>&1 || RESAMPLE_OK=0
t7=$(now)
mkdir -p "$OUT/sox"
xargs -a "$FILES" -P 2 -I{} sh -c 'sox "$1" -r 16000 "$2/$(basename "$1")"' _ {} "$OUT/sox"
t8=$(now)

P=$(secs "$t0" "$t1"); S=$(secs "$t1" "$t2"); T=$(secs "$t3" "$t4"); Y=$(secs "$t4" "$t5")
R=$(secs "$t6" "$t7"); X=$(secs "$t7" "$t8")
rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.0f", n/s}'; }
mbs() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.0f", b/1e6/s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b/a}'; }
# Throughput ratio of (bytes1 in s1) to (bytes2 in s2).
tput() { awk -v b1="$1" -v s1="$2" -v b2="$3" -v s2="$4" 'BEGIN {printf "%.2f", (b1/s1)/(b2/s2)}'; }

cat <<REPORT
## shard benchmark: $COUNT utterances, $MB MB of WAV, $(printf '%.0f' "$AUDIO_S") audio-seconds ($(date -u +%F), $(nproc) cores)

| step | wall s | samples/s | MB/s | vs peer |
| --- | ---: | ---: | ---: | --- |
| nautilus prepare (full decode, $ACCEPTED accepted) | $P | $(rate "$COUNT" "$P") | $(mbs "$BYTES" "$P") | |
| nautilus shard, copy, $SHARDS shards ($ACCEPTED entries) | $S | $(rate "$ACCEPTED" "$S") | $(mbs "$SHARD_BYTES" "$S") | $(tput "$SHARD_BYTES" "$S" "$BYTES" "$T")x tar cf, $(tput "$SHARD_BYTES" "$S" "$BYTES" "$Y")x Python tarfile (MB/s) |
| (a) tar cf | $T | $(rate "$COUNT" "$T") | $(mbs "$BYTES" "$T") | |
| (b) Python tarfile, 1 process | $Y | $(rate "$COUNT" "$Y") | $(mbs "$BYTES" "$Y") | |
| nautilus shard, wav 16 kHz (resample) | $R | $(rate "$ACCEPTED" "$R") | | RTFx $(awk -v a="$AUDIO_ACC" -v s="$R" 'BEGIN {printf "%.0f", a/s}') vs sox $(awk -v a="$AUDIO_S" -v s="$X" 'BEGIN {printf "%.0f", a/s}'): $(tput "$AUDIO_ACC" "$R" "$AUDIO_S" "$X")x$( [ "$RESAMPLE_OK" = 1 ] || echo ' (FAILED: see resample.log)') |
| (c) sox -r 16000, xargs -P 2 | $X | $(rate "$COUNT" "$X") | | RTFx $(awk -v a="$AUDIO_S" -v s="$X" 'BEGIN {printf "%.0f", a/s}') |

Peak memory (max RSS of the whole launcher JVM): shard with $SHARDS shards $(rss_of "$OUT/shard.time") MB;
with $(( (SHARDS + 9) / 10 )) shards (10x larger) $(rss_of "$OUT/shard_big.time") MB; prepare $(rss_of "$OUT/prepare.time") MB.
REPORT
