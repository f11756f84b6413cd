#!/usr/bin/env bash
# The benchmark's saturation scenarios of a baseline revision and of this working tree, in one run
# (RevisionComparison: same broker and database, alternating order round by round), as one table.
#
#   benchmarks/compare-revisions.sh BASE_REF [--only=raw,ferry,durable10] [--rounds=3]
#                                            [--messages=20000] [--warmup=5000]
#
# BASE_REF is any git revision; it is checked out into benchmarks/target/baseline (a detached
# worktree, removed afterwards) and built there. Nothing is installed into ~/.m2.
set -euo pipefail
base=${1:?usage: benchmarks/compare-revisions.sh BASE_REF [options]}
shift
root=$(git rev-parse --show-toplevel)
work=$root/benchmarks/target/baseline

classpath() { # the benchmark's runtime classpath in the tree $1, built through its reactor
  (cd "$1" && ./mvnw -q -B -pl benchmarks -am test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >&2)
  echo "$1/benchmarks/target/classes:$(cat "$1/benchmarks/target/bench.classpath")"
}

git -C "$root" worktree remove --force "$work" 2>/dev/null || rm -rf "$work"
git -C "$root" worktree add --detach "$work" "$base" >&2
trap 'git -C "$root" worktree remove --force "$work"' EXIT

baseline_cp=$(classpath "$work")
current_cp=$(classpath "$root")
java -Xmx1g -cp "$current_cp" dev.ferry.benchmarks.RevisionComparison \
  --baseline-classpath="$baseline_cp" --baseline-name="$(git -C "$root" rev-parse --short "$base")" "$@"
