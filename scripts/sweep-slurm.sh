#!/usr/bin/env bash
# Runs an `initscope sweep` on a Slurm cluster (issue 15): submits a job array of N shards
# (scripts/sweep-slurm.sbatch), then the merge as a job that starts when every shard succeeded
# (--dependency=afterok), and prints the two job ids.
#
#   scripts/sweep-slurm.sh -n N -o OUT.csv [-p PARTS_DIR] -- SWEEP_ARGS…
#
# OUT is what `initscope sweep SWEEP_ARGS… --out OUT` writes on one machine, byte for byte.
# PARTS_DIR (default OUT's name + ".parts") must be on a file system every node sees. Cluster
# settings go in sbatch's own environment variables, e.g. SBATCH_PARTITION=short,
# SBATCH_TIMELIMIT=1:00:00, SBATCH_ACCOUNT=…; $INITSCOPE names the binary (default: initscope
# on PATH). `-w` waits for the merge to finish and fails when it failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
  echo "usage: $0 -n SHARDS -o OUT.csv [-p PARTS_DIR] [-w] -- SWEEP_ARGS..." >&2
  exit 2
}
shards="" out="" parts="" wait_merge=0
while getopts "n:o:p:wh" opt; do
  case "$opt" in
    n) shards=$OPTARG ;;
    o) out=$OPTARG ;;
    p) parts=$OPTARG ;;
    w) wait_merge=1 ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ -n "$shards" ] && [ -n "$out" ] && [ $# -gt 0 ] || usage
if ! [[ "$shards" =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: -n '$shards': the number of shards must be a whole number >= 1" >&2
  exit 2
fi
case "$out" in
  *.csv) ;;
  *) echo "$0: -o '$out': the parts are CSV; give OUT ending in .csv" >&2; exit 2 ;;
esac
out="$(realpath -m "$out")"
parts="$(realpath -m "${parts:-$out.parts}")"
mkdir -p "$parts"
bin="${INITSCOPE:-initscope}"

array=$(sbatch --parsable --array="0-$((shards - 1))" --chdir="$parts" \
  "$here/sweep-slurm.sbatch" "$parts" "$@")
array=${array%%;*}  # "id;cluster" on federated clusters

files=()
for ((k = 0; k < shards; ++k)); do files+=("$parts/part-$k-of-$shards.csv"); done
merge_cmd="$(printf '%q ' "$bin" sweep-merge "$out" "${files[@]}")"
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --job-name=initscope-sweep-merge --ntasks=1 --chdir="$parts" \
  --output="$parts/merge-%j.log" --wrap="$merge_cmd")
merge=${merge%%;*}
echo "shards: job array $array ($shards tasks, parts in $parts)"
echo "merge:  job $merge, writes $out when every shard succeeded"

if [ "$wait_merge" = 1 ]; then
  while squeue -h -j "$array,$merge" 2>/dev/null | grep -q .; do sleep 1; done
  if [ ! -s "$out" ]; then
    echo "$0: the merge wrote no $out; see $parts/*.log" >&2
    exit 1
  fi
fi
