#!/usr/bin/env bash
# Streamed against in-memory training on the same rows (MNIST's 8,000 training digits written as a 784-column CSV, the
# default MLP, --scale unit), in alternating rounds: the median samples/s of epochs 2-5 of each run, and their ratio.
# With "memory", also the peak resident memory of one streamed epoch on a ~2 GB CSV (the 8,000 rows 140 times) and of
# predict on a ~200 MB one (14 times). Files go to a temporary folder (2.3 GB for "memory"), deleted at the end.
#   bash bench/tables/streaming.sh [rounds] [memory]   # from the repository root, after dotnet build -c Release
set -euo pipefail
cli=(dotnet src/Backprop.Cli/bin/Release/net10.0/Backprop.Cli.dll)
rounds=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/mnist.csv" <<'PY'
import gzip, struct, sys
images = gzip.open("data/mnist10k/train-images-idx3-ubyte.gz").read()
labels = gzip.open("data/mnist10k/train-labels-idx1-ubyte.gz").read()
count = struct.unpack(">I", images[4:8])[0]
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"p{i}" for i in range(784)) + ",label\n")
    for n in range(count):
        f.write(",".join(map(str, images[16 + n * 784:16 + (n + 1) * 784])) + f",{labels[8 + n]}\n")
PY
median_rate() { # options... -> the median samples/s of epochs 2..5
  "${cli[@]}" train --data "$work/mnist.csv" --label label --scale unit --epochs 5 --json --no-plot --out "$work/m.safetensors" "$@" 2>/dev/null |
    python3 -c 'import sys, json, statistics; print(round(statistics.median([json.loads(l)["samples_per_s"] for l in sys.stdin if l.startswith("{\"epoch")][1:])))'
}
for round in $(seq 1 "$rounds"); do
  memory=$(median_rate)
  streamed=$(median_rate --stream)
  echo "{\"round\": $round, \"load\": $(cut -d' ' -f1 /proc/loadavg), \"in_memory\": $memory, \"streamed\": $streamed, \"ratio\": $(python3 -c "print(round($streamed / $memory, 2))")}"
done
if [ "${2:-}" = memory ]; then
  { head -1 "$work/mnist.csv"; for i in $(seq 140); do tail -n +2 "$work/mnist.csv"; done; } > "$work/big.csv"
  /usr/bin/time -f '{"run": "train 1 epoch streamed", "bytes": '"$(stat -c %s "$work/big.csv")"', "peak_rss_kb": %M, "seconds": %e}' \
    "${cli[@]}" train --data "$work/big.csv" --label label --scale unit --epochs 1 --no-plot --quiet --out "$work/big.safetensors"
  { head -1 "$work/mnist.csv"; for i in $(seq 14); do tail -n +2 "$work/mnist.csv"; done; } > "$work/predict.csv"
  rm "$work/big.csv"
  /usr/bin/time -f '{"run": "predict", "bytes": '"$(stat -c %s "$work/predict.csv")"', "peak_rss_kb": %M, "seconds": %e}' \
    "${cli[@]}" predict --model "$work/big.safetensors" --data "$work/predict.csv" --out "$work/predictions.csv"
fi
