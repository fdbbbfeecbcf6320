#!/usr/bin/env bash
# Times `wi-setup enable` against the simulator: a first run (the cluster update lasts
# CLUSTER_UPDATE_SECONDS, 5 by default) and a converged re-run, each RUNS times on a fresh
# simulator, with LATENCY_MS added to every answer. Prints a Markdown table row per measurement
# and the request counts of the last runs. Needs a release build: scripts/build release.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${RUNS:-5}"
update_seconds="${CLUSTER_UPDATE_SECONDS:-5}"
latency_ms="${LATENCY_MS:-0}"
build_dir="${BUILD_DIR:-build/release}"
wi_setup="$build_dir/bin/wi-setup"
sim="$build_dir/bin/wi-setup-sim"
[[ -x "$wi_setup" && -x "$sim" ]] || { echo "build first: scripts/build release" >&2; exit 1; }

seed=sim/seed/default.json
export AZURE_TENANT_ID="$(jq -r '.tenantId' "$seed")"
export AZURE_CLIENT_ID="$(jq -r '.servicePrincipals[0].clientId' "$seed")"
export AZURE_CLIENT_SECRET="$(jq -r '.servicePrincipals[0].clientSecret' "$seed")"
export AZURE_SUBSCRIPTION_ID="$(jq -r '.subscriptions[0].subscriptionId' "$seed")"
args=(enable --resource-group myResourceGroup --cluster myAKSCluster --identity myIdentity
      --keyvault keyvault-workload-id --namespace default --service-account workload-identity-sa
      --yes --output json)

now_ms() { date +%s%3N; }

first=()
rerun=()
for ((i = 0; i < runs; i++)); do
  state="$(mktemp -d)"
  "$sim" --state-dir "$state" --cluster-update-seconds "$update_seconds" \
    --latency-ms "$latency_ms" >"$state/sim.log" 2>&1 &
  sim_pid=$!
  until [[ -f "$state/ready.json" ]]; do sleep 0.02; done
  conn=(--cloud "$state/cloud.json" --ca-bundle "$state/ca.pem")
  base_url="$(jq -r .base_url "$state/ready.json")"

  start=$(now_ms)
  "$wi_setup" "${args[@]}" "${conn[@]}" >"$state/first.json"
  first+=($(($(now_ms) - start)))
  first_requests="$(curl -fsS --cacert "$state/ca.pem" "$base_url/_sim/requests" | jq 'length')"
  curl -fsS --cacert "$state/ca.pem" -X POST "$base_url/_sim/requests/clear" >/dev/null

  start=$(now_ms)
  "$wi_setup" "${args[@]}" "${conn[@]}" >"$state/rerun.json"
  rerun+=($(($(now_ms) - start)))
  log="$(curl -fsS --cacert "$state/ca.pem" "$base_url/_sim/requests")"
  rerun_requests="$(jq 'length' <<<"$log")"
  rerun_writes="$(jq 'map(select(.write)) | length' <<<"$log")"

  kill "$sim_pid"
  wait "$sim_pid" 2>/dev/null || true
  rm -rf "$state"
done

stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms, min %d ms, max %d ms", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "| run | cluster update | latency per answer | wall time ($runs runs) | requests | writes |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| first run | ${update_seconds} s | ${latency_ms} ms | $(stats "${first[@]}") | $first_requests | |"
echo "| converged re-run | - | ${latency_ms} ms | $(stats "${rerun[@]}") | $rerun_requests | $rerun_writes |"
