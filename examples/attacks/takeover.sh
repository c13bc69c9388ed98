#!/usr/bin/env bash
# A takeover while the old master is paused (issue 25): two workers; a master is stopped with SIGSTOP a few
# seconds in; a second master takes the study over with --force; 6 s later the first is continued with
# SIGCONT. Every setting must end with exactly one result, and nothing may be quarantined.
#
#   examples/attacks/takeover.sh [RUNS]        # default 1; prints one line per run and exits 1 on any loss
set -uo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-1}
trials=150
failed=0
./hps --version > /dev/null # builds the project first if needed
for run in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  s="$dir/study"
  master=(./hps master --space search-spaces/synthetic.json --study "$s" --strategy random --seed 7 --trials "$trials"
    --batch 8 --mode async --lease 10 --set epochs=2 --set epochSeconds=0.05 --poll-ms 20)
  ./hps worker --study "$s" --id wa --idle-exit 20 > "$dir/wa.log" 2>&1 &
  wa=$!
  ./hps worker --study "$s" --id wb --idle-exit 20 > "$dir/wb.log" 2>&1 &
  wb=$!
  "${master[@]}" > "$dir/m1.log" 2>&1 &
  m1=$!
  sleep $((3 + RANDOM % 4))
  kill -STOP "$m1"
  "${master[@]}" --force > "$dir/m2.log" 2>&1 &
  m2=$!
  sleep 6
  kill -CONT "$m1"
  wait "$m2"; rc2=$?
  wait "$m1"; rc1=$?
  wait "$wa" "$wb"
  results=$(find "$s/results" -name 's*.json' | wc -l)
  quarantined=$(find "$s/quarantine" -type f ! -name '*.reason.txt' 2>/dev/null | wc -l)
  replaced=$(grep -c "took this study over" "$dir/m1.log")
  verdict=ok
  if [ "$results" -ne "$trials" ] || [ "$quarantined" -ne 0 ] || [ "$rc2" -ne 0 ]; then
    verdict=LOST
    failed=$((failed + 1))
  fi
  echo "run $run: $verdict: $results of $trials results, $quarantined quarantined; old master exit $rc1 (says taken over: $replaced), new master exit $rc2; logs in $dir"
  [ "$verdict" = ok ] && rm -rf "$dir"
done
echo "$failed of $runs runs lost or quarantined results"
[ "$failed" -eq 0 ]
