#!/usr/bin/env bash
# Times what a newcomer waits for, in a fresh clone of HEAD (commit first), without ccache:
#   scripts/test  - installs, builds build/test (unoptimised, warnings as errors), runs every test;
#   scripts/demo  - builds build/release (the tool -Os, the simulator unoptimised), runs the demo;
#   touch         - the test build again after touching one .cpp, for a few kinds of file.
# Prints Markdown table rows. Takes about 8 minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DISABLE=1

now_ms() { date +%s%3N; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%d min %d s", ms / 60000, (ms % 60000) / 1000 }'; }

if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "bench/build.sh: uncommitted changes are not measured; it builds HEAD ($(git rev-parse --short HEAD))" >&2
fi
clone="$(mktemp -d)"
trap 'rm -rf "$clone"' EXIT
git clone -q . "$clone"
cd "$clone"

start=$(now_ms)
scripts/test >/dev/null 2>&1
test_ms=$(($(now_ms) - start))

echo "| what | wall time |"
echo "| --- | --- |"
echo "| clean \`scripts/test\` (commit $(git rev-parse --short HEAD)) | $(seconds "$test_ms") |"
for file in src/steps/federated_credential_step.cpp src/cli/enable_run.cpp src/core/text.cpp \
  sim/kubernetes_api.cpp tests/unit/steps/disable_steps_test.cpp tests/integration/enable_test.cpp; do
  touch "$file"
  start=$(now_ms)
  cmake --build build/test -j 2 >/dev/null
  echo "| test build after touching $file | $(seconds "$(($(now_ms) - start))") |"
done

start=$(now_ms)
scripts/demo >/dev/null 2>&1
demo_ms=$(($(now_ms) - start))
echo "| clean \`scripts/demo\` | $(seconds "$demo_ms") |"
