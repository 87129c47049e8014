#!/usr/bin/env bash
# make fuzz: runs every fuzz target of bizone-fuzz (libFuzzer) for FUZZ_RUNS inputs each,
# starting from Fuzz/seeds and Fuzz/regressions, and prints a table of what ran.
# A crash or a broken invariant stops that target, keeps the input under .build-fuzz/findings
# and fails the run; copy the input into Fuzz/regressions/<target>/ once it is fixed.
set -uo pipefail
binary=$1; runs=$2; shift 2
targets=("$@")
work=$(dirname "$(dirname "$binary")")
max_time=${FUZZ_MAX_SECONDS:-900}
status=0
rows=()
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"; findings="$work/findings/$target"
  mkdir -p "$corpus" "$findings"
  log="$work/fuzz-$target.log"
  # Git keeps no empty folders: a target without regressions yet has no Fuzz/regressions/<target>.
  inputs=("$corpus")
  for folder in "Fuzz/seeds/$target" "Fuzz/regressions/$target"; do
    [ -d "$folder" ] && inputs+=("$folder")
  done
  echo "fuzzing $target: $runs inputs (at most ${max_time}s), log in $log"
  start=$(date +%s)
  BIZONE_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no "$binary" \
    -runs="$runs" -max_total_time="$max_time" -max_len=8192 -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$findings/" \
    "${inputs[@]}" > "$log" 2>&1
  code=$?
  seconds=$(( $(date +%s) - start ))
  executed=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
  executed=${executed:-0}
  crashes=$(find "$findings" -type f | wc -l)
  if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    status=1
    grep -E 'finding:|ERROR|deadly|Test unit written' "$log" | head -5
  elif [ "$executed" -lt "$runs" ]; then
    echo "  $target ran $executed of $runs inputs within ${max_time}s"
    status=1
  fi
  rate=$(( executed / (seconds > 0 ? seconds : 1) ))
  rows+=("$(printf '%-8s %12s %8ss %10s/s %8s' "$target" "$executed" "$seconds" "$rate" "$crashes")")
done
echo
printf '%-8s %12s %9s %12s %8s\n' TARGET INPUTS TIME RATE CRASHES
for row in "${rows[@]}"; do echo "$row"; done
exit $status
