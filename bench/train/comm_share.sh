#!/usr/bin/env bash
# Communication share of training step time at W = 2 for the train job's reference model (the
# character LM of conf/train/char_lm.yaml), on embedded Spark: both ranks are threads of one JVM
# and exchange gradients over the loopback ring, as two executors on one host would.
#
# For each hidden width (the gradient size grows with it) it runs `./nautilus train` for STEPS
# optimizer steps with validation and checkpoints off, and reads rank 0's figures from the
# driver's last line: wall time of the training loop and the part spent in the all-reduce of the
# gradients and the loss.
#
# Usage: bench/train/comm_share.sh [STEPS] [HIDDEN_LIST] [WORKDIR]   (default 60, 128,1024,4096)
set -euo pipefail
STEPS="${1:-60}"
HIDDEN="${2:-128,1024,4096}"
WORK="${3:-/tmp/nautilus-bench-train}"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
mkdir -p "$WORK"
if [ ! -f "$WORK/sft-train/sft.wids.json" ]; then
  ./nautilus shard -c conf/shard/sft.yaml input.manifests=[data/sample/sft/train.jsonl] \
    output.dir="$WORK/sft-train" webdataset.maxcount=64 --overwrite >&2
fi
echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| hidden | parameters | gradient MB | steps | loop s | all-reduce s | share | ms/step |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
IFS=, read -ra widths <<< "$HIDDEN"
for h in "${widths[@]}"; do
  line=$(./nautilus train -c conf/train/char_lm.yaml name=bench trainer.devices=2 \
      trainer.max_steps="$STEPS" trainer.log_every_n_steps=1000 model.hidden="$h" \
      model.train_ds.shards=["$WORK/sft-train"] model.validation_ds.shards=[] \
      exp_manager.exp_dir="$WORK/experiments" exp_manager.create_checkpoint_callback=false \
      exp_manager.create_tensorboard_logger=false 2>/dev/null | grep '^train: done')
  loop=$(sed -E 's/.*; ([0-9.]+) s, of which.*/\1/' <<< "$line")
  comm=$(sed -E 's/.*of which ([0-9.]+) s all-reduce.*/\1/' <<< "$line")
  # char_lm: Linear(8*97 -> h) + Linear(h -> 97), weights and biases.
  params=$(( 8 * 97 * h + h + h * 97 + 97 ))
  awk -v h="$h" -v p="$params" -v s="$STEPS" -v l="$loop" -v c="$comm" 'BEGIN {
    printf "| %d | %d | %.1f | %d | %.1f | %.2f | %.1f%% | %.1f |\n", h, p, p * 4 / 1e6, s, l, c,
      100 * c / l, 1000 * l / s }'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
