#!/usr/bin/env bash
# hps bench against Optuna's journal file storage, side by side on the same filesystems: local disk, one
# GlusterFS mount, and two mounts of it (every second hps worker, and the second Optuna process, on the other
# one). Run examples/shared-fs/start-gluster.sh first. Usage:
#   examples/shared-fs/bench.sh PYTHON_WITH_OPTUNA [ROUNDS] [SETTINGS]
# PYTHON_WITH_OPTUNA: a python with optuna (python3 -m venv v && v/bin/pip install optuna). ROUNDS (default 3)
# repeats every line, interleaved, since a shared filesystem's speed varies from run to run; SETTINGS (default
# 2000) is hps's throughput run and Optuna's total trials (half per process).
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${1:?give a python that has optuna}
rounds=${2:-3}
settings=${3:-2000}
a=${HPS_GLUSTER_A:-/mnt/hps-a}
b=${HPS_GLUSTER_B:-/mnt/hps-b}
local_dir=$(mktemp -d)
trap 'rm -rf "$local_dir" "$a/hps-bench-sfs" "$a/optuna-bench-sfs"' EXIT
hps() { ./hps bench --settings "$settings" --batches 10 --delay-settings 4 "$@" | grep -E '^bench in|throughput'; }
optuna() { "$python" examples/shared-fs/optuna_journal.py --trials $((settings / 2)) "$@"; }
for round in $(seq 1 "$rounds"); do
  echo "--- round $round"
  rm -rf "$local_dir"/*; hps --dir "$local_dir/hps"
  optuna --dir "$local_dir/optuna" --dir "$local_dir/optuna"
  rm -rf "$a/hps-bench-sfs"; hps --dir "$a/hps-bench-sfs"
  optuna --dir "$a/optuna-bench-sfs" --dir "$a/optuna-bench-sfs"
  rm -rf "$a/hps-bench-sfs"; hps --dir "$a/hps-bench-sfs" --other-mount "$b/hps-bench-sfs"
  optuna --dir "$a/optuna-bench-sfs" --dir "$b/optuna-bench-sfs"
done
