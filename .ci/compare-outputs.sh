#!/usr/bin/env bash
# Compares everything two dangjian binaries write for the same projects, byte for byte: the
# site (and the PDFs, unless NO_PDF=1), and `score` in every format, per branch and per
# organisation. A refactor must change none of it; run it before each commit of one.
# Usage: .ci/compare-outputs.sh OLD_BINARY NEW_BINARY PROJECT_DIR...
# The build manifests under .dangjian/ are left out: they record file times.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY PROJECT_DIR..." >&2; exit 2; }
old="$(realpath "$1")"; new="$(realpath "$2")"; shift 2
work="$(mktemp -d -t dangjian-compare.XXXXXX)"
trap 'rm -rf "$work"' EXIT
pdf_flag=(); [ "${NO_PDF:-0}" = 1 ] && pdf_flag=(--no-pdf)
differ=0
for project in "$@"; do
  name="$(basename "$(realpath "$project")")"
  for side in old new; do
    bin="$old"; [ "$side" = new ] && bin="$new"
    out="$work/$side/$name"
    mkdir -p "$out"
    "$bin" build --root "$project" --out "$out/site" "${pdf_flag[@]}" 2>"$out/build.raw" >/dev/null
    # The output folder's name is printed; it is the one thing that differs by design.
    sed "s|$out/site|OUT|g" "$out/build.raw" >"$out/build.stderr" && rm "$out/build.raw"
    for fmt in table csv json; do
      "$bin" score --root "$project" --format "$fmt" >"$out/score.$fmt" 2>>"$out/score.stderr"
      "$bin" score --root "$project" --format "$fmt" --orgs >"$out/orgs.$fmt" 2>>"$out/score.stderr"
    done
    "$bin" check --root "$project" 2>"$out/check.stderr" || true
  done
  if diff -r -q --exclude=.dangjian "$work/old/$name" "$work/new/$name"; then
    echo "same: $name ($(find "$work/new/$name" -type f | wc -l) files)"
  else
    differ=1
    echo "DIFFERENT: $name"
  fi
done
exit "$differ"
