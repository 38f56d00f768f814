#!/usr/bin/env bash
# Crate-only debug build times: each generated service crate, and the
# GaussDB crate against the crate progenitor generates from the same spec,
# measured alternately in one run (median of N rounds).
#
#   bench/build_time.sh [ROUNDS]        (default 3)
#
# Needs `cargo-progenitor` (`cargo install cargo-progenitor --locked`) for the
# comparison; without it only our crates are timed. "Crate-only" means the
# dependencies stay built: `cargo clean -p <crate>` then `cargo build -p <crate>`.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
work="${TMPDIR:-/tmp}/hwc-build-time"
mkdir -p "$work"

seconds() { # command... -> elapsed seconds on stdout
  local start end
  start=$(date +%s%N)
  if ! "$@" >/dev/null 2>&1; then
    echo "failed: $*" >&2
    exit 1
  fi
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", (b - a) / 1e9}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

crates=()
for manifest in generated/*/Cargo.toml; do
  crates+=("$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)")
done
# Dependencies once.
for c in "${crates[@]}"; do cargo build -q -p "$c"; done

progenitor=""
if command -v cargo-progenitor >/dev/null; then
  progenitor="$work/progenitor-gaussdb"
  rm -rf "$progenitor"
  cargo progenitor -i spec/gaussdb.yaml -o "$progenitor" -n progenitor-gaussdb -v 0.1.0 >/dev/null
  (cd "$progenitor" && cargo build -q)
fi

declare -A times
for round in $(seq "$rounds"); do
  for c in "${crates[@]}"; do
    cargo clean -q -p "$c"
    times[$c]+="$(seconds cargo build -q -p "$c") "
  done
  if [ -n "$progenitor" ]; then
    (cd "$progenitor" && cargo clean -q -p progenitor-gaussdb)
    times[progenitor]+="$(cd "$progenitor" && seconds cargo build -q) "
  fi
  echo "round $round done" >&2
done

printf '%-34s %s\n' crate "median s (runs)"
for c in "${crates[@]}" ${progenitor:+progenitor}; do
  m=$(echo "${times[$c]}" | tr ' ' '\n' | grep . | median)
  printf '%-34s %.2f (%s)\n' "$c" "$m" "${times[$c]}"
done
if [ -n "$progenitor" ]; then
  ours=$(echo "${times[huaweicloud-sdk-gaussdb]}" | tr ' ' '\n' | grep . | median)
  theirs=$(echo "${times[progenitor]}" | tr ' ' '\n' | grep . | median)
  awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "gaussdb: ours / progenitor = %.2f\n", a / b}'
  printf 'lines: ours %s (src/), progenitor %s\n' \
    "$(cat generated/gaussdb/src/*.rs | wc -l)" "$(cat "$progenitor"/src/*.rs | wc -l)"
fi
