#!/usr/bin/env bash
# backprop on the same splits as baselines.py (run that first): test-set R² (diabetes) and accuracy (mixed), seeds 0-2.
#   bash bench/tables/compare.sh      # from the repository root, after dotnet build -c Release
set -euo pipefail
cli=(dotnet src/Backprop.Cli/bin/Release/net10.0/Backprop.Cli.dll)
out=bench/tables/out
model=$(mktemp -d)/model.safetensors
run() { # name, metric, train file, test file, options...
  local name=$1 metric=$2 train=$3 test=$4; shift 4
  for seed in 0 1 2; do
    "${cli[@]}" train --data "$out/$train" --out "$model" --no-plot --quiet --seed "$seed" "$@"
    value=$("${cli[@]}" evaluate --model "$model" --data "$out/$test" --json | grep "\"$metric\"" | sed -E 's/.*: ([-0-9.eE]+),?/\1/')
    echo "{\"data\": \"$name\", \"options\": \"$*\", \"seed\": $seed, \"$metric\": $value}"
  done
}
run diabetes r2 diabetes-train.csv diabetes-test.csv
run mixed accuracy mixed-train.csv mixed-test.csv --id-column id
run mixed accuracy mixed-train.csv mixed-test.csv --id-column id --validation-split 0.1
