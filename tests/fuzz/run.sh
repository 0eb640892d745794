#!/usr/bin/env bash
# Runs each libFuzzer target for a set time, one after the other in a single process
# (these machines are shared). Inputs with new coverage are kept in
# build-fuzz/corpus/<target>/ (not checked in); an input that crashes, leaks or hangs is
# saved in tests/fuzz/regressions/<target>/, where the replay tests of the default suite
# run it from then on: commit it with its fix.
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     default 60 s, every target
# Builds the fuzz targets first in $CYPP_FUZZ_BUILD (default build-fuzz) with clang.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json_schema markdown render verify)
build=${CYPP_FUZZ_BUILD:-$root/build-fuzz}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCYPP_FUZZ=ON >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in "${targets[@]}"; do
  work=$build/corpus/$target
  crashes=$here/regressions/$target
  mkdir -p "$work" "$crashes"
  dictionary=()
  [ -f "$here/$target.dict" ] && dictionary=(-dict="$here/$target.dict")
  echo "== $target: $seconds s"
  # rss_limit: 2 GiB; timeout: an input taking over 10 s is a hang worth keeping.
  if ! "$build/tests/fuzz/fuzz_$target" "$work" "$here/corpus/$target" "${dictionary[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
        -print_final_stats=1 -artifact_prefix="$crashes/" 2>"$build/fuzz-$target.log"; then
    status=1
    echo "FINDING in $target: see $build/fuzz-$target.log and $crashes/"
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$build/fuzz-$target.log" || true
  grep -E '^#[0-9]+.*DONE' "$build/fuzz-$target.log" | tail -1 || true
done
exit $status
