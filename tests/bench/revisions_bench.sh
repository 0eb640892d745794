#!/usr/bin/env bash
# Issue #7: cost grows linearly with revisions. A synthetic plan (make_bench_site, fixed
# seed) is committed to a fresh git repository, then revised again and again, each
# revision a commit with a change note that edits three chapters. At each checkpoint the
# whole site is built with its history: every published version archived under
# versions/, the differences, the feed. Each version is a whole site, so a build at R
# revisions renders R + 1 sites; linear means the CPU time per rendered site stays flat.
#
# Usage: tests/bench/revisions_bench.sh [--smoke] [--chapters 200] [--revisions 10,20,40,80]
#                                       [--runs 3] [--cypp PATH] [--tools DIR]
#   --smoke   20 chapters, 2 and 4 revisions, 1 run: proves the script still works and
#             that every published version is archived (the ctest "bench: revisions
#             smoke"); nothing is judged
#   --cypp    the cypp binary (default: build/cypp of the repository)
#   --tools   the folder holding make_bench_site (default: build/tests/bench)
# Judged: CPU per rendered site at the most revisions / at the fewest under 1.25.
# Exit: 0 done (target met, or --smoke); 1 target missed; 2 usage or missing tools;
# 3 a build failed or did not archive every published version.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

smoke=0 chapters=200 checkpoints=10,20,40,80 runs=3
cypp="$root/build/cypp" tools="$root/build/tests/bench"
usage() { sed -n '/^# Usage:/,/^# 3 a build/p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) smoke=1 ;;
    --chapters) chapters=${2:?}; shift ;;
    --revisions) checkpoints=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --cypp) cypp=${2:?}; shift ;;
    --tools) tools=${2:?}; shift ;;
    -h|--help) usage ;;
    *) echo "revisions_bench.sh: unknown argument $1" >&2; usage ;;
  esac
  shift
done
if [ $smoke = 1 ]; then chapters=20 checkpoints=2,4 runs=1; fi
[[ $chapters =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || { echo "revisions_bench.sh: --chapters and --runs want positive numbers" >&2; exit 2; }
[[ $checkpoints =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "revisions_bench.sh: --revisions wants positive numbers separated by commas" >&2; exit 2; }
IFS=, read -r -a checkpoint_list <<< "$checkpoints"
for ((i = 1; i < ${#checkpoint_list[@]}; i++)); do
  [ "${checkpoint_list[i]}" -gt "${checkpoint_list[i - 1]}" ] || { echo "revisions_bench.sh: --revisions wants increasing numbers" >&2; exit 2; }
done
for tool in "$cypp" "$tools/make_bench_site"; do
  [ -x "$tool" ] || { echo "revisions_bench.sh: $tool is missing: cmake --build BUILD --target cypp make_bench_site" >&2; exit 2; }
done
for tool in git /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "revisions_bench.sh: $tool is missing (Debian packages git, time)" >&2; exit 2; }
done

if [ -d /dev/shm ] && [ -w /dev/shm ]; then work=$(mktemp -d /dev/shm/cypp-revisions.XXXXXX); else work=$(mktemp -d); fi
trap 'rm -rf "$work"' EXIT
"$tools/make_bench_site" "$work/bench" "$chapters" > /dev/null
site="$work/bench/cypp"
chapter_folder="$site/plans/2011-2014/chapters"

# Commits dated from the plan's publication on, an hour apart, before the build's --today.
commit_at() {  # commit_at HOURS_AFTER_PUBLICATION MESSAGE...
  local date
  date=$(date -u -d "2011-03-25 12:00 UTC + $1 hours" '+%Y-%m-%dT%H:%M:%SZ')
  shift
  GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git -C "$site" commit -q -a "$@"
}
git -C "$site" init -q
git -C "$site" config user.email bench@example.invalid
git -C "$site" config user.name bench
git -C "$site" add -A
commit_at 0 -m "First publication"

echo "revisions benchmark: $chapters chapters, builds at $checkpoints revisions, $runs run(s) each; work folder on $(df --output=fstype "$work" | tail -n 1)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cypp: $cypp ($("$cypp" --version 2>&1 | head -n 1))"

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
timing() {  # timing STAGE LOG: the stage's milliseconds from cypp build --timings
  sed -n "s/^timing: $1: \([0-9.]*\) ms.*/\1/p" "$2" | head -n 1
}

revisions=0 failed=0
rows=()
for target in "${checkpoint_list[@]}"; do
  while [ $revisions -lt "$target" ]; do
    revisions=$((revisions + 1))
    for k in 1 2 3; do
      printf '\nRevised in revision %s of the plan.\n' "$revisions" \
        >> "$chapter_folder/$(printf 'c%05d' $(( (revisions * 37 + k * 53) % chapters + 1 ))).md"
    done
    commit_at "$revisions" -m "Revision $revisions" -m "Change-note: Revised three chapters (revision $revisions)."
  done
  : > "$work/measured"
  for r in $(seq "$runs"); do
    rm -rf "$work/out"
    if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$cypp" build "$site" -o "$work/out" \
        --today 2011-06-01 --no-pdf --timings > "$work/build.log" 2>&1; then
      echo "FAILED: the build at $revisions revisions"; tail -n 20 "$work/build.log"; exit 3
    fi
    read -r wall user sys rss < <(tail -n 1 "$work/time")
    echo "$wall $user $sys $rss $(timing history "$work/build.log") $(timing 'render archived versions' "$work/build.log")" >> "$work/measured"
  done
  # Every published version (the first publication and each revision) is archived.
  archived=$( (find "$work/out/versions" -mindepth 1 -maxdepth 1 -type d 2> /dev/null || true) | wc -l)
  if [ "$archived" -ne $((revisions + 1)) ]; then
    echo "FAILED: $archived archived versions at $revisions revisions, expected $((revisions + 1))"; exit 3
  fi
  column() { awk -v c="$1" '{ print $c }' "$work/measured" | median; }
  wall_ms=$(awk -v s="$(column 1)" 'BEGIN { printf "%d", s * 1000 }')
  cpu_ms=$(awk '{ printf "%d\n", ($2 + $3) * 1000 }' "$work/measured" | median)
  rss_kb=$(column 4)
  rows+=("$revisions $wall_ms $cpu_ms $rss_kb $(column 5) $(column 6) $(find "$work/out" -type f | wc -l)")
  echo "  $revisions revisions done"
done

echo
echo "| revisions | sites rendered | wall ms | CPU ms (user+sys) | peak RSS MiB | history stage ms | archived versions ms | files | CPU ms per site |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
  read -r n wall cpu rss history archived files <<< "$row"
  awk -v n="$n" -v w="$wall" -v c="$cpu" -v m="$rss" -v h="$history" -v a="$archived" -v f="$files" \
    'BEGIN { printf "| %d | %d | %d | %d | %.1f | %s | %s | %d | %.1f |\n", n, n + 1, w, c, m / 1024, h, a, f, c / (n + 1) }'
done
echo
echo "(medians of $runs run(s); each build starts from an empty output folder)"

read -r first_n _ first_cpu _ <<< "${rows[0]}"
read -r last_n _ last_cpu _ <<< "${rows[-1]}"
flat=$(awk -v a="$first_cpu" -v an="$first_n" -v b="$last_cpu" -v bn="$last_n" \
  'BEGIN { x = a / (an + 1); y = b / (bn + 1); printf "%.2f", (x > 0 ? y / x : 0) }')
if [ $smoke = 1 ]; then verdict="(smoke: not judged)"
elif awk -v v="$flat" 'BEGIN { exit !(v < 1.25) }'; then verdict=PASS
else verdict=FAIL; failed=1; fi
echo "- CPU per rendered site at $last_n revisions / at $first_n (flat means 1): $flat (target < 1.25) $verdict"
exit $failed
