#!/usr/bin/env bash
# Issue target: the history stage on a 500-commit, 1,000-page repository runs within
# 1.5x of `git log --name-only --format=%H%x00%ct` on the same repository.
# Usage: tests/bench/history_bench.sh [BUILD_DIR]   (exit 1 when over the target)
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
perftest="$root/$build/tests/bench/history_perftest"
[ -x "$perftest" ] || { echo "build first: cmake --build $build --target history_perftest"; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo/site/plans/p/chapters"
cd "$repo"
git init -q
git config user.email bench@example.invalid
git config user.name bench
# 1,000 pages in the site folder, plus files outside it.
for i in $(seq 1 1000); do printf '## Page %s\n\nText of page %s.\n' "$i" "$i" > "site/plans/p/chapters/page-$i.md"; done
mkdir -p other && echo x > other/readme
git add -A && git commit -q -m "initial"
# 499 more commits: most touch a few pages, some only files outside the site, every
# tenth carries a change note.
for c in $(seq 2 500); do
  if [ $((c % 7)) -eq 0 ]; then
    echo "$c" >> other/readme
  else
    for k in 1 2 3; do echo "edit $c" >> "site/plans/p/chapters/page-$(( (c * 37 + k * 101) % 1000 + 1 )).md"; done
  fi
  if [ $((c % 10)) -eq 0 ]; then msg=$'edit '"$c"$'\n\nChange-note: revision '"$c"; else msg="edit $c"; fi
  git add -A && git commit -q -m "$msg"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
runs=7
git_ms=$(for r in $(seq $runs); do
  start=$(date +%s%N); git log --name-only --format=%H%x00%ct > /dev/null; end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
done | median)
cypp_ms=$("$perftest" "$repo/site" $runs 2>/dev/null)
ratio=$(awk -v a="$cypp_ms" -v b="$git_ms" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
echo "git log --name-only: ${git_ms} ms; cypp history stage: ${cypp_ms} ms; ratio ${ratio} (target <= 1.5)"
awk -v r="$ratio" 'BEGIN { exit (r <= 1.5 ? 0 : 1) }'
