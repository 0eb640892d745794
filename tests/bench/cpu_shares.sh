#!/usr/bin/env bash
# Where cypp's CPU time goes in a full build of the synthetic site, as shares of its
# samples: what cmark-gfm takes (the floor's work), what the outputs other issues ask for
# take (the print edition, the manifest's checksums, a folder per chapter), the scan for
# withheld respondents' details, the rest of the kernel's work, and everything else
# (loading, checks, templates, writing). Shares, not times: they hold still while this
# machine's speed moves, which site_bench.sh's ratios do not.
#
# Usage: tests/bench/cpu_shares.sh [--chapters 10000] [--runs 3] [--cypp PATH] [--tools DIR]
# Needs perf (Debian package linux-perf) allowed to sample (kernel.perf_event_paranoid
# at most 2) and python3. Each sample is put in the first of these that a function of
# its call stack belongs to, in this order. The test run has a small run of it
# ("bench: CPU shares smoke"), which fails when no sample falls in cmark-gfm (the
# functions were renamed: the shares would silently go to "everything else").
# Exit: 0 done; 2 usage or missing tools; 3 the build failed or no sample was in
# cmark-gfm; 77 perf is missing or may not sample here.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
chapters=10000 runs=3 cypp="$root/build/cypp" tools="$root/build/tests/bench"
usage() { sed -n '/^# Usage:/,/^# Exit:/p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --chapters) chapters=${2:?}; shift ;;
    --runs) runs=${2:?}; shift ;;
    --cypp) cypp=${2:?}; shift ;;
    --tools) tools=${2:?}; shift ;;
    -h|--help) usage ;;
    *) echo "cpu_shares.sh: unknown argument $1" >&2; usage ;;
  esac
  shift
done
[[ $chapters =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || { echo "cpu_shares.sh: --chapters and --runs want positive numbers" >&2; exit 2; }
for tool in "$cypp" "$tools/make_bench_site"; do
  [ -x "$tool" ] || { echo "cpu_shares.sh: $tool is missing: cmake --build BUILD --target cypp make_bench_site" >&2; exit 2; }
done
command -v python3 > /dev/null || { echo "cpu_shares.sh: python3 is missing" >&2; exit 2; }
command -v perf > /dev/null || { echo "cpu_shares.sh: perf is missing (apt-get install linux-perf)" >&2; exit 77; }
perf record -q -e cpu-clock -o /dev/null true > /dev/null 2>&1 \
  || { echo "cpu_shares.sh: perf may not sample here (kernel.perf_event_paranoid is $(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?'))" >&2; exit 77; }

if [ -d /dev/shm ] && [ -w /dev/shm ]; then work=$(mktemp -d /dev/shm/cypp-shares.XXXXXX); else work=$(mktemp -d); fi
trap 'rm -rf "$work"' EXIT
"$tools/make_bench_site" "$work/site" "$chapters" > /dev/null

echo "cypp CPU shares: $chapters chapters, $runs run(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$runs"); do
  rm -rf "$work/out"
  if ! perf record -q -e cpu-clock -F 2000 --call-graph dwarf,16384 -o "$work/perf.data" \
      "$cypp" build "$work/site/cypp" -o "$work/out" --today 2011-06-01 --no-history --no-pdf > "$work/build.log" 2>&1; then
    echo "cpu_shares.sh: the build (or perf) failed:" >&2; tail -n 20 "$work/build.log" >&2; exit 3
  fi
  perf script -i "$work/perf.data" -F tid,time,ip,sym,dso 2> /dev/null > "$work/stacks.txt"
  python3 - "$work/stacks.txt" "$r" <<'PY'
import re, sys
shares = [
    ('checksums (SHA-256 of every file, for the manifest)', r'SHA256|sha256|Sha256Stream|DigestRecorder'),
    ('withheld respondents\' details looked for in every file', r'WithheldScan|find_withheld|WithheldFinder|model::\(anonymous namespace\)::holds'),
    ('a folder per chapter (mkdirat)', r'__x64_sys_mkdirat'),
    ('print edition (made and written)', r'put_print_edition|print_body|print_data|print_view'),
    ('cmark-gfm (parsing and rendering Markdown)', r'libcmark|cmark_|finish_parse'),
    ('kernel, other (reading, writing, memory)', r'\[kernel|do_syscall_64|entry_SYSCALL|exc_page_fault'),
]
compiled = [(name, re.compile(rx)) for name, rx in shares]
counts = {name: 0 for name, _ in shares}
counts['everything else (loading, checks, templates, pages)'] = 0
total = 0
stack = []
def flush():
    global total, stack
    if stack:
        total += 1
        for name, rx in compiled:
            if any(rx.search(frame) for frame in stack):
                counts[name] += 1
                break
        else:
            counts['everything else (loading, checks, templates, pages)'] += 1
    stack = []
for line in open(sys.argv[1], errors='replace'):
    if not line.strip() or not line[0].isspace():
        flush()
        continue
    stack.append(line.strip())
flush()
print(f'run {sys.argv[2]}: {total} samples')
for name, count in counts.items():
    print(f'  {100 * count / max(total, 1):5.1f} %  {name}')
if counts['cmark-gfm (parsing and rendering Markdown)'] == 0:
    print('no sample fell in cmark-gfm: the rules above no longer match the functions', file=sys.stderr)
    sys.exit(3)
PY
done
