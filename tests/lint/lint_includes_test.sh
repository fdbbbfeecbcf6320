#!/usr/bin/env bash
# Proves that scripts/lint-includes can fail: it runs the lint on temporary trees, one that keeps
# to the layer graph (must pass) and ones with a forbidden include each (must fail and name the
# file, the line and the rule).
# Usage: lint_includes_test.sh <path of scripts/lint-includes>
set -euo pipefail

lint="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# write <tree> <file> <line>...: a file whose lines are the arguments.
write() {
  local tree="$1" file="$2"
  shift 2
  mkdir -p "$(dirname "$work/$tree/$file")"
  printf '%s\n' "$@" >"$work/$tree/$file"
}

# A tree every layer of which keeps to the graph.
clean_tree() {
  local tree="$1"
  write "$tree" src/core/text.cpp '#include <wisetup/core/text.hpp>'
  write "$tree" src/http/pipeline.cpp '#include <wisetup/core/clock.hpp>' \
    '#include <wisetup/http/pipeline.hpp>'
  write "$tree" src/http/cpprest/transport.cpp '#include <wisetup/http/transport.hpp>'
  write "$tree" include/wisetup/kube/kube_connection.hpp '#include <wisetup/http/token_credential.hpp>'
  write "$tree" src/identity/jwt.cpp '#include "identity/jwt.hpp"' '#include <wisetup/http/base64.hpp>'
  write "$tree" src/steps/step.cpp '#include <wisetup/azure/arm_client.hpp>' \
    '#include <wisetup/workflow/step.hpp>'
  write "$tree" src/cli/app.cpp '#include <wisetup/steps/keys.hpp>' \
    '#include <wisetup/cli/build_info.hpp>' '#include <nlohmann/json.hpp>'
  write "$tree" src/main.cpp '#include <wisetup/cli/app.hpp>'
}

# expect_failure <name> <file> <line number> <rule text> <line>...: a clean tree plus <file>
# holding the lines; the lint must fail and report <file>:<line number> with the rule.
expect_failure() {
  local name="$1" file="$2" number="$3" rule="$4"
  shift 4
  clean_tree "$name"
  write "$name" "$file" "$@"
  local output status=0
  output="$("$lint" "$work/$name" 2>&1)" || status=$?
  if ((status != 1)); then
    echo "FAIL $name: exit $status, expected 1; output: $output"
    failures=$((failures + 1))
  elif [[ "$output" != *"$file:$number: "*"$rule"* ]]; then
    echo "FAIL $name: the output does not name $file:$number and \"$rule\": $output"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

clean_tree clean
if output="$("$lint" "$work/clean" 2>&1)"; then
  echo "ok   clean tree passes"
else
  echo "FAIL clean tree: $output"
  failures=$((failures + 1))
fi

expect_failure http-includes-identity src/http/bearer_token_policy.cpp 2 \
  "the http layer may include only its own headers and those of core" \
  '#include <wisetup/http/bearer_token_policy.hpp>' '#include <wisetup/identity/token_credential.hpp>'
expect_failure cpprest-counts-as-http src/http/cpprest/transport.cpp 1 "the http layer" \
  '#include <wisetup/azure/arm_client.hpp>'
expect_failure kube-includes-identity include/wisetup/kube/kube_client.hpp 3 "the kube layer" \
  '#pragma once' '' '#include <wisetup/identity/static_token_credential.hpp>'
expect_failure private-header-of-another-layer src/azure/client.cpp 1 "the azure layer" \
  '#include "identity/jwt.hpp"'
expect_failure core-includes-http src/core/cloud.cpp 1 "the core layer may include only its own headers" \
  '  #  include <wisetup/http/url.hpp>'
expect_failure workflow-includes-steps include/wisetup/workflow/runner.hpp 1 "the workflow layer" \
  '#include <wisetup/steps/keys.hpp>'
expect_failure steps-include-cli src/steps/step.cpp 2 "the steps layer" \
  '#include <wisetup/workflow/step.hpp>' '#include "wisetup/cli/app.hpp"'
expect_failure not-a-layer src/cli/app.cpp 1 "sim is not a layer of the client" \
  '#include <wisetup/sim/simulator.hpp>'

if ((failures > 0)); then
  echo "$failures check(s) of the include lint failed"
  exit 1
fi
