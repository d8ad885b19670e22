#!/usr/bin/env bash
# Sweeps on existing engines (issue 15): the parts of a sweep run by GNU parallel, or by a Slurm
# job array, merge into the file one process writes — byte for byte.
#
#   sweep_cluster_test.sh parallel INITSCOPE SCRIPTS_DIR   4 shards with `parallel -j4`
#   sweep_cluster_test.sh slurm INITSCOPE SCRIPTS_DIR      a one-node Slurm cluster set up in a
#       temporary folder (its own munged and key, slurmctld and slurmd on their own ports, state
#       and spool in the folder, proctrack/linuxproc, no cgroups), then scripts/sweep-slurm.sh
#       end to end: the array of 4 shards and the dependent merge job.
#
# Exit 77 (ctest SKIP_RETURN_CODE) with the reason when the engine is missing or Slurm cannot
# start here (not root, a daemon fails); any failure after that is a failure. Every daemon the
# test started is stopped on exit, failed or not (trap). Grid: 8 points of tanh, depth 5,
# width 32 — seconds of work.
set -euo pipefail
mode=${1:?usage: $0 parallel|slurm INITSCOPE SCRIPTS_DIR}
bin=$(realpath "${2:?initscope binary}")
scripts=$(realpath "${3:?scripts folder}")
started=$SECONDS

skip() {
  echo "SKIPPED: $*"
  exit 77
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/initscope-sweep-$mode.XXXXXX")
pids_to_stop=()
cleanup() {
  local rc=$?
  if [ -n "${SLURM_CONF:-}" ] && [ -e "${SLURM_CONF}" ]; then
    scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
  fi
  for pid_file in "${pids_to_stop[@]}"; do
    [ -s "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null || true
  done
  # Give them a moment to go, then make sure.
  for pid_file in "${pids_to_stop[@]}"; do
    if [ -s "$pid_file" ]; then
      local pid
      pid=$(cat "$pid_file")
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ $rc -ne 0 ] && [ $rc -ne 77 ] && [ -d "$tmp/log" ]; then
    echo "--- daemon and job logs:"
    tail -n 20 "$tmp"/log/*.log "$tmp"/*.parts/*.log 2>/dev/null || true
  fi
  rm -rf "$tmp"
  echo "sweep_cluster_test $mode: $((SECONDS - started)) s (exit $rc)"
}
trap cleanup EXIT

sweep_args=(--activation tanh --layers 5 --width 32 --batch 32 --seed 7
            --grid sigma_w2=1:2.4:0.2)
# The single run on two threads, each shard on one: the bytes depend on neither.
OMP_NUM_THREADS=2 "$bin" sweep "${sweep_args[@]}" --out "$tmp/single.csv" 2>/dev/null
export OMP_NUM_THREADS=1
rows=$(grep -vc '^#' "$tmp/single.csv")
echo "single run: $tmp/single.csv, $((rows - 1)) rows"

compare() {
  if cmp "$tmp/single.csv" "$1"; then
    echo "PASS: $2 merge equals the single-process run byte for byte"
  else
    diff "$tmp/single.csv" "$1" | head -20
    echo "FAIL: $2 merge differs from the single-process run"
    exit 1
  fi
}

run_parallel() {
  command -v parallel >/dev/null || skip "GNU parallel is not installed (Debian package parallel)"
  (cd "$tmp" && parallel --will-cite --halt now,fail=1 -j4 \
     "$bin" sweep "${sweep_args[@]}" --shard {}/4 --out "part{}.csv" ::: 0 1 2 3 2>/dev/null)
  "$bin" sweep-merge "$tmp/merged.csv" "$tmp"/part{0,1,2,3}.csv
  compare "$tmp/merged.csv" "GNU parallel (4 shards)"
}

# A free TCP port from 20000 on (none listening on it).
free_port() {
  local p=$1
  while ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; do p=$((p + 1)); done
  echo "$p"
}

start_slurm() {
  [ "$(id -u)" = 0 ] || skip "not root: slurmd must run as root to start jobs"
  local missing=()
  for b in munged munge slurmctld slurmd sbatch squeue sinfo scancel; do
    command -v "$b" >/dev/null || missing+=("$b")
  done
  [ ${#missing[@]} -eq 0 ] || skip "no ${missing[*]} (Debian packages slurm-wlm and munge)"
  mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log"
  chmod 700 "$tmp/munge"
  chmod 711 "$tmp"  # munged wants the socket's folders searchable
  head -c 1024 /dev/urandom >"$tmp/munge/munge.key"
  chmod 400 "$tmp/munge/munge.key"
  pids_to_stop+=("$tmp/munge/munged.pid")
  munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/socket" \
    --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/log/munged.log" \
    --seed-file="$tmp/munge/seed" || skip "munged failed to start: $(tail -n 3 "$tmp/log/munged.log")"
  munge -n -S "$tmp/munge/socket" >/dev/null || skip "munge cannot reach the test's munged"

  local host ctld_port d_port
  host=$(hostname -s)
  ctld_port=$(free_port $((20000 + $$ % 20000)))
  d_port=$(free_port $((ctld_port + 1)))
  cat >"$tmp/slurm.conf" <<CONF
ClusterName=initscope-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$(nproc --all) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$tmp/slurm.conf"
  pids_to_stop+=("$tmp/slurmd.pid" "$tmp/slurmctld.pid")
  slurmctld -f "$SLURM_CONF" -i 2>"$tmp/log/slurmctld-start.log" ||
    skip "slurmctld failed: $(tail -qn 3 "$tmp"/log/slurmctld*.log 2>/dev/null)"
  slurmd -f "$SLURM_CONF" 2>"$tmp/log/slurmd-start.log" ||
    skip "slurmd failed: $(tail -qn 3 "$tmp"/log/slurmd*.log 2>/dev/null)"
  local state=""
  for _ in $(seq 60); do
    state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
  done
  [ "$state" = idle ] || skip "the node did not come up (state '$state'): $(tail -n 3 "$tmp"/log/slurm*.log)"
  echo "slurm: one-node cluster up on $host (ports $ctld_port, $d_port) after $((SECONDS - started)) s"
}

run_slurm() {
  start_slurm
  INITSCOPE="$bin" timeout 300 "$scripts/sweep-slurm.sh" -n 4 -o "$tmp/merged.csv" -w -- \
    "${sweep_args[@]}"
  compare "$tmp/merged.csv" "Slurm job array (4 shards) + dependent merge job"
}

case "$mode" in
  parallel) run_parallel ;;
  slurm) run_slurm ;;
  *) echo "$0: unknown mode '$mode'; use parallel or slurm" >&2; exit 2 ;;
esac
