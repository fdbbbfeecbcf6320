#!/usr/bin/env bash
# Times the builds a newcomer waits for, without ccache, each in a fresh folder under build/:
#   test  - what scripts/test builds: the tool, the simulator and every test, warnings as errors;
#   demo  - what scripts/demo builds: the tool and the simulator, release;
#   touch - the test build again after touching one .cpp (src/steps/service_account_step.cpp).
# Prints a Markdown table row per build. Extra arguments go to CMake (e.g. -DWISETUP_PRECOMPILED_HEADERS=OFF).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DISABLE=1

now_ms() { date +%s%3N; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%d min %d s", ms / 60000, (ms % 60000) / 1000 }'; }

rm -rf build/bench-test build/bench-demo
start=$(now_ms)
scripts/build bench-test -DWISETUP_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
test_ms=$(($(now_ms) - start))

touch src/steps/service_account_step.cpp
start=$(now_ms)
cmake --build build/bench-test -j 2 >/dev/null
touch_ms=$(($(now_ms) - start))

start=$(now_ms)
scripts/build bench-demo -DWISETUP_BUILD_TESTS=OFF "$@" >/dev/null
demo_ms=$(($(now_ms) - start))

echo "| build | wall time |"
echo "| --- | --- |"
echo "| clean test build (scripts/test's) | $(seconds "$test_ms") |"
echo "| after touching one .cpp | $(seconds "$touch_ms") |"
echo "| clean demo build (scripts/demo's) | $(seconds "$demo_ms") |"
rm -rf build/bench-test build/bench-demo
