#!/usr/bin/env bash
# All-reduce bandwidth on loopback, side by side in one run: Nautilus's ring (io.nautilus.dist,
# every rank its own JVM, on a float[] and on a direct ByteBuffer) and PyTorch's gloo backend
# (torch.distributed.all_reduce, Debian python3-torch), for W = 2 and 4 and 1..256 MiB of float32.
#
# The implementations take turns, ROUNDS times over, and the table shows each one's median, so a
# machine shared with other work (load is printed) disturbs them alike. busbw = algbw * 2(W-1)/W
# (nccl-tests); cpu = process CPU seconds (all threads, user + system) per operation and rank.
#
# Usage: bench/allreduce/run.sh [ROUNDS] [SIZES_MIB]        (default 3 and 1,4,16,64,256)
#        RAW_OUT=file keeps every round's CSV lines.
# Needs: Java 17, Maven (offline), /usr/bin/python3 with torch (apt-get install -y python3-torch).
# The Java side is io.nautilus.dist.AllReduceBench in pipeline's test sources (no extra deps).
set -euo pipefail
ROUNDS="${1:-3}"
SIZES="${2:-1,4,16,64,256}"
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
(cd "$REPO" && mvn -q -B -o -pl pipeline test-compile)
CP="$REPO/pipeline/target/classes:$REPO/pipeline/target/test-classes"
RAW="${RAW_OUT:-$(mktemp)}"
[ -n "${RAW_OUT:-}" ] || trap 'rm -f "$RAW"' EXIT
: > "$RAW"

echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for round in $(seq "$ROUNDS"); do
  for w in 2 4; do
    echo "round $round/$ROUNDS, W=$w" >&2
    java -cp "$CP" io.nautilus.dist.AllReduceBench --world "$w" --payload array --sizes-mib "$SIZES" >> "$RAW"
    java -cp "$CP" io.nautilus.dist.AllReduceBench --world "$w" --payload direct --sizes-mib "$SIZES" >> "$RAW"
    /usr/bin/python3 "$HERE/gloo_allreduce.py" --world "$w" --sizes-mib "$SIZES" >> "$RAW"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

/usr/bin/python3 - "$RAW" "$ROUNDS" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    impl, w, nbytes, _iters, _secs, algbw, busbw, cpu = line.strip().split(",")
    rows[(impl, int(w), int(nbytes))].append((float(algbw), float(busbw), float(cpu)))
def med(key, i):
    values = [r[i] for r in rows.get(key, [])]
    return statistics.median(values) if values else float("nan")
print(f"Median of {sys.argv[2]} rounds. busbw in GB/s (10^9 B/s); x = busbw / gloo busbw; "
      "cpu = CPU seconds per operation and rank.\n")
print("| W | size | gloo busbw | nautilus float[] busbw | x | nautilus direct busbw | x "
      "| cpu gloo | cpu float[] | cpu direct |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (impl, w, nbytes) in sorted(k for k in rows if k[0] == "gloo"):
    g = med(("gloo", w, nbytes), 1)
    a = med(("nautilus-array", w, nbytes), 1)
    d = med(("nautilus-direct", w, nbytes), 1)
    print(f"| {w} | {nbytes >> 20} MiB | {g:.3f} | {a:.3f} | {a / g:.2f} | {d:.3f} | {d / g:.2f} "
          f"| {med(('gloo', w, nbytes), 2):.4f} | {med(('nautilus-array', w, nbytes), 2):.4f} "
          f"| {med(('nautilus-direct', w, nbytes), 2):.4f} |")
PY
