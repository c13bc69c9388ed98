#!/usr/bin/env bash
# The library's in-process optimize against `hps run` with 2 worker processes, on the synthetic trainer with
# zero-cost epochs (so what is measured is hps's own cost per trial: proposing, claiming, publishing,
# accepting), same space, same mode (asynchronous, 2 in flight). Prints both.
#
#   examples/benchmarks/library/compare.sh [TRIALS]     # default 2000
set -euo pipefail
cd "$(dirname "$0")/../../.."
trials=${1:-2000}
./hps --version > /dev/null # builds the project first if needed
[ -f examples/library/target/classpath.txt ] || ./mvnw -q -o -B -DskipTests install
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# hps run's default poll (50 ms) and the library's (5 ms): the poll, not the files, sets the pace here.
for poll in 50 5; do
  start=$(date +%s.%N)
  ./hps run --space search-spaces/synthetic.json --study "$tmp/run$poll" --trials "$trials" --workers 2 --mode async \
    --batch 2 --poll-ms "$poll" --set epochSeconds=0 > "$tmp/run$poll.log" 2>&1
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v n="$trials" -v p="$poll" 'BEGIN { printf "hps run --poll-ms %d, 2 worker'\
' processes: %d results in %.1f s, %.2f ms per trial\n", p, n, e - s, 1000 * (e - s) / n }'
done
java -Xmx1g -XX:TieredStopAtLevel=1 -cp "examples/library/target/classes:$(cat examples/library/target/classpath.txt)" \
  org.example.library.BenchSynthetic search-spaces/synthetic.json "$trials" "$tmp/library"
