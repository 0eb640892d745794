#!/usr/bin/env bash
# Issue #7 targets, measured side by side in one run on the same synthetic site
# (make_bench_site: fixed seed, ~2 KB policy-document chapters, tables on half the pages):
#   - full build at 10,000 chapters at least 5x faster than Hugo in wall time
#   - cypp CPU time per page within 1.5x of the floor's (floor.c: libcmark-gfm alone)
#   - cypp peak memory under 100 MiB at 10,000 chapters
#   - per-page cost flat from 1k to 10k to 50k chapters
#   - rebuild after one chapter changes under 50 ms at 1,000 chapters (cypp serve's
#     rebuild, as it reports it; a second cypp build is shown beside it)
# Runs alternate (floor, cypp, hugo, floor, cypp, hugo ...) so that the noise of a shared
# machine falls on every tool alike; the tables give medians. Sites and outputs live on
# tmpfs (/dev/shm when present).
#
# Usage: tests/bench/site_bench.sh [--smoke] [--sizes 1000,10000,50000] [--runs 5]
#                                  [--rebuild-size 1000] [--cypp PATH] [--tools DIR] [--keep]
#   --smoke   100 chapters, 1 run: proves the script and every tool still work (the
#             ctest "bench: site benchmark smoke"); no target is judged
#   --cypp    the cypp binary (default: build/cypp of the repository)
#   --tools   the folder holding make_bench_site and floor (default: build/tests/bench)
#   --keep    keep the work folder (its path is printed)
# Hugo (Debian package hugo) is used when installed, else skipped with a note.
# Exit: 0 done (every target met, or --smoke); 1 a target missed; 2 usage or missing
# tools; 3 a tool failed or cypp reported errors.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

smoke=0 keep=0 runs=5 sizes=1000,10000,50000 rebuild_size=1000
cypp="$root/build/cypp" tools="$root/build/tests/bench"
usage() { sed -n '/^# Usage:/,/^# tools;/p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) smoke=1 ;;
    --sizes) sizes=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --rebuild-size) rebuild_size=${2:?}; shift ;;
    --cypp) cypp=${2:?}; shift ;;
    --tools) tools=${2:?}; shift ;;
    --keep) keep=1 ;;
    -h|--help) usage ;;
    *) echo "site_bench.sh: unknown argument $1" >&2; usage ;;
  esac
  shift
done
if [ $smoke = 1 ]; then sizes=100 runs=1 rebuild_size=100; fi
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "site_bench.sh: --runs wants a positive number" >&2; exit 2; }
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "site_bench.sh: --sizes wants numbers separated by commas" >&2; exit 2; }
IFS=, read -r -a size_list <<< "$sizes"

for tool in "$cypp" "$tools/make_bench_site" "$tools/floor"; do
  [ -x "$tool" ] || { echo "site_bench.sh: $tool is missing: cmake --build BUILD --target cypp make_bench_site floor" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "site_bench.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 2; }
hugo=$(command -v hugo || true)
[ -n "$hugo" ] || echo "note: hugo is not installed (apt-get install hugo): Hugo is skipped and its ratios are not measured"

# Flags this cypp knows: --no-pdf (the print edition through chromium) and --timings.
cypp_help=$("$cypp" build --help 2>&1 || true)
cypp_flags=(--today 2011-06-01 --no-history)
grep -q -- '--no-pdf' <<< "$cypp_help" && cypp_flags+=(--no-pdf)
timings=0
if grep -q -- '--timings' <<< "$cypp_help"; then timings=1 cypp_flags+=(--timings); fi

if [ -d /dev/shm ] && [ -w /dev/shm ]; then work=$(mktemp -d /dev/shm/cypp-bench.XXXXXX); else work=$(mktemp -d); fi
if [ $keep = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/results" "$work/logs"

# measure KEY CMD...: runs CMD under /usr/bin/time; appends "wall_ms cpu_ms rss_kb" to
# results/KEY. Wall time comes from the clock around it and CPU time (user + sys of the
# children) from bash's `times`, both to the millisecond; GNU time's own %e/%U/%S have
# only 10 ms steps, its %M (peak RSS) is used as is.
# `times` must run in this shell (not in a $(...) subshell, whose children are not ours).
child_cpu_ms() {
  awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]); s += t[1] * 60 + t[2] }
                 printf "%d\n", s * 1000 + 0.5 }' "$work/times"
}
failed=0
measure() {
  local key=$1; shift
  local runs_so_far=0
  [ -f "$work/results/$key" ] && runs_so_far=$(wc -l < "$work/results/$key")
  local log="$work/logs/$key.$runs_so_far"
  local cpu0 cpu1 start end status=0
  times > "$work/times"; cpu0=$(child_cpu_ms); start=$(date +%s%N)
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.out" "$@" > "$log.out" 2> "$log.err" || status=$?
  end=$(date +%s%N); times > "$work/times"; cpu1=$(child_cpu_ms)
  if [ $status != 0 ]; then
    echo "FAILED ($key, exit $status): $*"; tail -n 20 "$log.err"; tail -n 5 "$log.out"; failed=1; return 1
  fi
  echo "$(( (end - start) / 1000000 )) $(( cpu1 - cpu0 )) $(tail -n 1 "$work/time.out" | awk '{print $4}')" >> "$work/results/$key"
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
# paired KEY_A KEY_B COLUMN: the median, over the runs, of A's value / B's value in the
# same run. The runs of one size alternate, so each pair ran within seconds of each
# other: a host that slows down for a minute moves both.
paired() {
  [ -s "$work/results/$1" ] && [ -s "$work/results/$2" ] &&
    paste -d' ' <(awk -v c="$3" '{ print $c }' "$work/results/$1") <(awk -v c="$3" '{ print $c }' "$work/results/$2") |
    awk 'NF == 2 && $2 > 0 { printf "%.2f\n", $1 / $2 }' | median || true
}
# med KEY COLUMN: the median of one column (1 wall ms, 2 cpu ms, 3 rss KiB) of results/KEY
med() { [ -s "$work/results/$1" ] && awk -v c="$2" '{ print $c }' "$work/results/$1" | median || true; }

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$root" status --porcelain -- generator themes content 2>/dev/null)" ] || commit="$commit + uncommitted changes in generator/, themes/ or content/"
echo "site benchmark: sizes $sizes, $runs run(s) each, rebuild at $rebuild_size; work folder on $(df --output=fstype "$work" | tail -n 1)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cypp: $cypp ($("$cypp" --version 2>&1 | head -n 1), binary of $(date -u -r "$cypp" '+%Y-%m-%d %H:%M UTC')), repository at $commit; flags ${cypp_flags[*]}"
echo "hugo: $([ -n "$hugo" ] && "$hugo" version | head -n 1 || echo not installed); libcmark-gfm $(pkg-config --modversion libcmark-gfm 2>/dev/null || echo '?')"

build_cypp() {  # build_cypp SIZE KEY: a full build into an empty folder; errors are failures
  local site="$work/site-$1/cypp" out="$work/out/cypp"
  rm -rf "$out"
  measure "$2" "$cypp" build "$site" -o "$out" "${cypp_flags[@]}" || return 0
  if grep -q 'error\[' "$work/logs/$2.$(( $(wc -l < "$work/results/$2") - 1 )).err"; then
    echo "FAILED ($2): cypp exited 0 but reported errors"; failed=1
  fi
}

for n in "${size_list[@]}"; do
  "$tools/make_bench_site" "$work/site-$n" "$n" > "$work/logs/generate-$n.txt" \
    || { echo "make_bench_site failed for $n chapters"; cat "$work/logs/generate-$n.txt"; exit 3; }
  echo "generated: $(cat "$work/logs/generate-$n.txt")"
  mkdir -p "$work/out"
  for r in $(seq "$runs"); do
    rm -rf "$work/out/floor"
    measure "floor-$n" "$tools/floor" "$work/site-$n/md" "$work/out/floor" || true
    build_cypp "$n" "cypp-$n"
    if [ -n "$hugo" ]; then
      rm -rf "$work/out/hugo"
      measure "hugo-$n" "$hugo" --source "$work/site-$n/hugo" --destination "$work/out/hugo" \
        --cacheDir "$work/hugo-cache" --noBuildLock --quiet || true
    fi
    echo "  $n chapters, run $r of $runs done"
  done
  if [ -s "$work/results/cypp-$n" ]; then
    warnings=$(grep -c 'warning\[' "$work/logs/cypp-$n.0.err" || true)
    echo "  cypp ($n chapters): 0 errors, $warnings warning(s)"
    grep -m 3 'warning\[' "$work/logs/cypp-$n.0.err" | sed 's/^/    /' || true
  fi
  [ "$n" = "$rebuild_size" ] || rm -rf "$work/site-$n"
  rm -rf "$work/out"
done

# Rebuild after one chapter changes, into the folder the previous build wrote (the
# preview server's path): one untimed build, then each run edits one chapter and builds.
rebuild_runs=$runs
[ -d "$work/site-$rebuild_size" ] || "$tools/make_bench_site" "$work/site-$rebuild_size" "$rebuild_size" > /dev/null
site="$work/site-$rebuild_size/cypp" out="$work/rebuild/public"
mkdir -p "$work/rebuild"
if "$cypp" build "$site" -o "$out" "${cypp_flags[@]}" > "$work/logs/rebuild-first.out" 2>&1; then
  chapter="$site/plans/2011-2014/chapters/$(printf 'c%05d' $(( rebuild_size / 2 ))).md"
  for r in $(seq "$rebuild_runs"); do
    printf '\nRevised after the annual review, edit %s.\n' "$r" >> "$chapter"
    touch "$work/rebuild/marker"; sleep 0.01
    measure "rebuild-$rebuild_size" "$cypp" build "$site" -o "$out" "${cypp_flags[@]}" || break
    rewritten=$(find "$out" -type f -newer "$work/rebuild/marker" | wc -l)
    total=$(find "$out" -type f | wc -l)
  done
else
  echo "FAILED: the first build of the rebuild site"; tail -n 20 "$work/logs/rebuild-first.out"; failed=1
fi

# The preview server's rebuild (cypp serve keeps its Markdown cache between rebuilds
# and writes nothing): each run edits the same chapter and reads the time serve
# reports for that rebuild ("Rebuilt in N ms"). A rebuild takes tens of milliseconds,
# so five are timed per run: the median of three moved by 15 ms from one run to the next.
serve_log="$work/logs/serve-$rebuild_size.out"
if "$cypp" serve --help 2>&1 | grep -q -- '--stop-after'; then
  "$cypp" serve "$site" --port 0 --today 2011-06-01 --no-history --stop-after 600 > "$serve_log" 2>&1 &
  serve_pid=$!
  rebuilds() { grep -c '^Rebuilt in ' "$serve_log" || true; }
  wait_rebuilds() {  # wait_rebuilds N: until serve has reported N rebuilds (or 60 s)
    local tries=0
    while [ "$(rebuilds)" -lt "$1" ] && [ $tries -lt 600 ] && kill -0 $serve_pid 2>/dev/null; do sleep 0.1; tries=$((tries + 1)); done
    [ "$(rebuilds)" -ge "$1" ]
  }
  if wait_rebuilds 1; then
    for r in $(seq $((rebuild_runs * 5))); do
      sleep 0.3  # past serve's settle time, so each edit is its own rebuild
      printf '\nRevised in preview, edit %s.\n' "$r" >> "$chapter"
      wait_rebuilds $((r + 1)) || { echo "FAILED: cypp serve did not rebuild after edit $r"; tail -n 5 "$serve_log"; failed=1; break; }
    done
    grep '^Rebuilt in ' "$serve_log" | tail -n +2 | sed 's/^Rebuilt in \([0-9]*\) ms.*/\1/' > "$work/results/preview-$rebuild_size"
  else
    echo "FAILED: cypp serve did not start"; tail -n 20 "$serve_log"; failed=1
  fi
  kill $serve_pid 2>/dev/null || true; wait $serve_pid 2>/dev/null || true
fi

# The report: a Markdown table (paste into tests/bench/RESULTS.md) and the ratios.
echo
echo "| chapters | tool | wall ms | CPU ms (user+sys) | peak RSS MiB | wall ms/page | CPU ms/page |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in "${size_list[@]}"; do
  for tool in floor cypp hugo; do
    [ -s "$work/results/$tool-$n" ] || continue
    awk -v n="$n" -v t="$tool" -v w="$(med "$tool-$n" 1)" -v c="$(med "$tool-$n" 2)" -v m="$(med "$tool-$n" 3)" \
      'BEGIN { printf "| %d | %s | %d | %d | %.1f | %.3f | %.3f |\n", n, t, w, c, m / 1024, w / n, c / n }'
  done
done
if [ -s "$work/results/rebuild-$rebuild_size" ]; then
  echo "| $rebuild_size | cypp rebuild, one chapter changed | $(med "rebuild-$rebuild_size" 1) | $(med "rebuild-$rebuild_size" 2) | $(awk -v m="$(med "rebuild-$rebuild_size" 3)" 'BEGIN { printf "%.1f", m / 1024 }') | | |"
fi
if [ -s "$work/results/preview-$rebuild_size" ]; then
  echo "| $rebuild_size | cypp serve rebuild, one chapter changed | $(med "preview-$rebuild_size" 1) | | | | |"
fi
echo
echo "(medians of $runs run(s), of $((runs * 5)) for cypp serve; per page = divided by the number of chapters; the rebuild rewrote ${rewritten:-?} of ${total:-?} output files)"

missed=0
judge() {  # judge TEXT VALUE OP LIMIT: prints the line with PASS or FAIL
  local verdict
  if [ $smoke = 1 ]; then verdict="(smoke: not judged)"
  elif awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !((op == "<") ? v < l : v >= l) }'; then verdict=PASS
  else verdict=FAIL; missed=1; fi
  printf -- '- %s: %s (target %s %s) %s\n' "$1" "$2" "$3" "$4" "$verdict"
}
# The targets are set at 10,000 chapters; with other sizes the largest one is judged.
target_n=${size_list[-1]}
for n in "${size_list[@]}"; do [ "$n" = 10000 ] && target_n=10000; done
echo
echo "Targets at $target_n chapters:"
if [ -s "$work/results/cypp-$target_n" ] && [ -s "$work/results/floor-$target_n" ]; then
  cw=$(med "cypp-$target_n" 1) cc=$(med "cypp-$target_n" 2) cm=$(med "cypp-$target_n" 3) fc=$(med "floor-$target_n" 2)
  if [ -s "$work/results/hugo-$target_n" ]; then
    hw=$(med "hugo-$target_n" 1)
    judge "Hugo wall time / cypp wall time" "$(awk -v h="$hw" -v c="$cw" 'BEGIN { printf "%.2f", h / (c ? c : 1) }')" ">=" 5
    echo "  (run by run: $(paired "hugo-$target_n" "cypp-$target_n" 1), the median of each run's Hugo / cypp)"
  else
    echo "- Hugo wall time / cypp wall time: not measured (hugo not installed)"
  fi
  judge "cypp CPU per page / floor CPU per page" "$(awk -v c="$cc" -v f="$fc" 'BEGIN { printf "%.2f", c / (f ? f : 1) }')" "<" 1.5
  echo "  (run by run: $(paired "cypp-$target_n" "floor-$target_n" 2), the median of each run's cypp / floor)"
  judge "cypp peak RSS, MiB" "$(awk -v m="$cm" 'BEGIN { printf "%.1f", m / 1024 }')" "<" 100
fi
if [ ${#size_list[@]} -gt 1 ] && [ -s "$work/results/cypp-${size_list[0]}" ] && [ -s "$work/results/cypp-${size_list[-1]}" ]; then
  first=${size_list[0]} last=${size_list[-1]}
  curve=$(for n in "${size_list[@]}"; do [ -s "$work/results/cypp-$n" ] && awk -v n="$n" -v c="$(med "cypp-$n" 2)" 'BEGIN { printf "%d: %.3f, ", n, c / n }'; done)
  echo "- cypp CPU ms per page by size: ${curve%, }"
  judge "cypp CPU per page at $last / at $first (flat means 1)" \
    "$(awk -v a="$(med "cypp-$last" 2)" -v b="$(med "cypp-$first" 2)" -v l="$last" -v f="$first" 'BEGIN { printf "%.2f", (a / l) / (b ? b / f : 1) }')" "<" 1.25
fi
if [ -s "$work/results/preview-$rebuild_size" ]; then
  judge "cypp serve rebuild after one chapter changed at $rebuild_size chapters, ms" "$(med "preview-$rebuild_size" 1)" "<" 50
fi
if [ -s "$work/results/rebuild-$rebuild_size" ]; then
  echo "- cypp build again after one chapter changed at $rebuild_size chapters (not the preview path), wall ms: $(med "rebuild-$rebuild_size" 1)"
fi
if [ $timings = 1 ]; then  # the stages of cypp's last full build at the target size and of its last rebuild
  for log in "$(ls -t "$work/logs/cypp-$target_n".*.err 2>/dev/null | head -n 1)" \
             "$(ls -t "$work/logs/rebuild-$rebuild_size".*.err 2>/dev/null | head -n 1)"; do
    [ -n "$log" ] || continue
    echo; echo "cypp build --timings ($(basename "$log" .err | sed 's/\.[0-9]*$//')):"
    grep -v 'warning\[\|hint:' "$log" | sed 's/^/    /'
  done
fi

if [ $failed = 1 ]; then echo "a tool failed: see above"; exit 3; fi
[ $smoke = 1 ] || [ $missed = 0 ] || exit 1
exit 0
