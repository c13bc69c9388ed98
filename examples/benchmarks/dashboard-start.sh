#!/usr/bin/env bash
# How long `hps dashboard` takes from its launch to its first answer on a study, and the CPU it used by then.
# Usage: examples/benchmarks/dashboard-start.sh STUDY [RUNS]
# A big study to try it on: ./hps bench --settings 100000 --batches 1 --delay-settings 1 --dir /tmp/big
# (then STUDY is /tmp/big/throughput). Needs curl. Each run launches the dashboard on a free port, asks
# /api/summary every 50 ms until it answers, and stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
study=${1:?give a study directory}
runs=${2:-3}
./hps --version >/dev/null # builds first if the sources changed, so that no run counts a build
for run in $(seq 1 "$runs"); do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  start=$(date +%s%N)
  ./hps dashboard --study "$study" --port "$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/summary"; do
    kill -0 "$pid" 2>/dev/null || { echo "the dashboard exited before it answered" >&2; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  java=$(pgrep -P "$pid" java || echo "$pid") # the launcher may exec java or run it as a child
  ticks=$(awk '{print $14 + $15}' "/proc/$java/stat" 2>/dev/null || echo 0)
  printf 'run %d: first answer %.2f s after launch, %.2f s of CPU\n' "$run" \
    "$(echo "($end - $start) / 1000000000" | bc -l)" "$(echo "$ticks / $(getconf CLK_TCK)" | bc -l)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
