#!/usr/bin/env bash
# Writes the seed corpora in tests/fuzz/corpus/<target>/ from site-example, the minimal
# fixture and a few hand-written hostile cases. The seeds are checked in (the corpus
# replay tests run them), so this is needed only to refresh them.
#   tests/fuzz/seed.sh [CYPP_BINARY]     (default: build/cypp, for the verify bundles)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cypp=${1:-$root/build/cypp}
example=$root/site-example
minimal=$root/tests/fixtures/minimal
corpus=$here/corpus

rm -rf "$corpus"
mkdir -p "$corpus"/{json_schema,markdown,render,verify}

# (a) JSON: every metadata file of site-example and the fixture, and the shipped schemas
# (which the target also compiles as hostile schemas).
for file in "$example"/site.json "$example"/plans/*/*.json "$example"/plans/*/reviews/*/review.json \
            "$minimal"/site.json "$minimal"/plans/*/*.json "$root"/schemas/*.json; do
  name=${file#"$root"/}
  cp "$file" "$corpus/json_schema/${name//\//_}"
done
printf '{"a":1,"a":2}' > "$corpus/json_schema/hand-duplicate-key.json"
printf '\xef\xbb\xbf{"title":"caf\xc3\xa9 \xff"}' > "$corpus/json_schema/hand-bom-invalid-utf8.json"
printf '%0.s[' $(seq 70) > "$corpus/json_schema/hand-deep.json"
printf '{"n":1e400,"m":-0,"i":123456789012345678901234567890}' > "$corpus/json_schema/hand-numbers.json"
printf '{"$ref":"#","type":"object","properties":{"x":{"$ref":"#/properties/x"}}}' > "$corpus/json_schema/hand-ref-loop.json"

# (b) Markdown: the chapters and children's pages of site-example (their links to other
# chapters are broken in the fixture, which exercises the link checks), the fixture's
# chapter, and constructs cmark-gfm handles badly.
for file in "$example"/plans/*/chapters/*.md "$example"/plans/*/child/*.md "$example"/plans/*/reviews/*/review.md \
            "$minimal"/plans/*/chapters/*.md; do
  name=${file#"$root"/}
  cp "$file" "$corpus/markdown/${name//\//_}"
done
cat > "$corpus/markdown/hand-links.md" <<'MD'
## Links [here](#links)

See [the introduction](introduction.md#why-this-plan), [this page](needs.md), [nowhere](missing.md#x),
[up](../../../site.json), [absolute](/etc/passwd), [a file](../../../README.md), ![chart](chart.png),
[script](javascript:alert(1)), [vb](VBScript:x), [data](data:text/html;base64,PHNjcmlwdD4=),
<https://www.example.org/a?b=c&d=e>, www.example.com, [ref][r] and [click here](introduction.md).

[r]: introduction.md#how-we-work "title with \" quote"
MD
printf '## Table\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 |\n| x | y | z | w |\n' > "$corpus/markdown/hand-table.md"
printf '## Raw\n\n<img src=x onerror=alert(1)>\nswallowed text\n\n<?x <?x <?x\n\n<script>alert(1)</script>\n' \
  > "$corpus/markdown/hand-raw-html.md"
printf '# One\r\n\r\n#### Skip\r\n\r\nTO DO\r\n\x00\r\n\fMy page\n\n## For you\n' > "$corpus/markdown/hand-crlf-nul-child.md"

# (c) Render: one field per line, in the order render_fuzz.cpp lists them.
printf '%s\n' "Testshire Children's Trust Board" "Testshire" "Testshire" "Testshire County Council" \
  "Testshire County Council" "Central Library" "1 High Street, Testtown" \
  "Email plan@testshire.example to report a problem." "Ask us for large print or easy read." \
  "Testshire Children and Young People's Plan 2011-2014" \
  "What the partners will do together for children in Testshire." "Introduction" "Needs assessment" \
  "Why this plan" "LSCB annual report 2009-10" "Our plan for you" "This is our plan, written for you." \
  "What is the plan?" "Youth centre" "Call 01234 567890" "We asked people what the plan should do." \
  "Do you agree with our priorities?" "Ada Published" "More buses please." "Buses are too rare." \
  "We added a transport action." "Testshire Fire Service" > "$corpus/render/fixture-values.txt"
printf '%s\n' '<script>alert(1)</script>' '{{board}}{{{board}}}{{#x}}' '" onmouseover="alert(1)' \
  "javascript:alert(1)" '</title><script>x</script>' '&amp; &lt; <b>bold</b>' 'Ünïcødé — “quotes” ‘’' \
  > "$corpus/render/hand-hostile.txt"
printf '%s\n' "Board" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" > "$corpus/render/hand-empty.txt"

# (d) Bundles of the minimal fixture as cypp bundle writes them, and the tar inside the gzip.
if [ -x "$cypp" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$cypp" build "$minimal" -o "$work/public" --today 2011-06-01 --no-history >/dev/null 2>&1 || true
  if [ -f "$work/public/manifest.json" ]; then
    (cd "$work" && "$cypp" bundle public >/dev/null)
    cp "$work/public.tar.gz" "$corpus/verify/minimal.tar.gz"
    cp "$work/public.zip" "$corpus/verify/minimal.zip"
    gzip -dc "$work/public.tar.gz" > "$corpus/verify/minimal.tar"
  else
    echo "seed.sh: $cypp could not build the minimal fixture; no bundle seeds" >&2
  fi
else
  echo "seed.sh: no cypp binary at $cypp; no bundle seeds" >&2
fi
printf 'not an archive' > "$corpus/verify/hand-not-an-archive"
echo "Seeds: $(find "$corpus" -type f | wc -l) files, $(du -sh "$corpus" | cut -f1)"
