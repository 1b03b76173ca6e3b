#!/bin/bash
# Submits a sweep as a Slurm job array, from any directory: builds the program once, then one array task per shard runs
# that built program (tasks never build), and a report job merges the results when every task has ended.
#
#   examples/slurm/submit.sh                                     # examples/sweeps/classic-seeds.yaml in 4 shards
#   examples/slurm/submit.sh --sweep my.yaml --shards 8 -- --time=04:00:00 --mem=16G --partition=long
#   examples/slurm/submit.sh --shards 8 --array 3 --program artifacts/program/Experiments   # re-submit one shard
#
# Options (defaults in brackets):
#   --sweep FILE     the sweep file [examples/sweeps/classic-seeds.yaml]
#   --shards N       the number of shards, the same for every submission of one sweep [4]
#   --array SPEC     which shards to submit, as sbatch's --array: 0-7, 0-6:2, 1,3,5 [0 to N-1]; each index is a shard
#                    number, so a stepped array, a subset or one re-submitted index trains the shards the full array would
#   --out DIR        results go to DIR/results/<spec id>.json, reports to DIR/runs [artifacts in the repository]
#   --logs DIR       one log per task, DIR/<job name>-<job id>_<index>.out [OUT/slurm-logs]
#   --program PATH   a built Experiments program (or Experiments.dll) to run instead of building one into OUT/program
#   --no-report      submit no report job
#   -- ...           everything after -- goes to sbatch (--time, --mem, --partition, --cpus-per-task, ...)
# Every folder must be one the compute nodes see at the same path (a shared file system).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
sweep="$repo/examples/sweeps/classic-seeds.yaml" shards=4 array="" out="$repo/artifacts" logs="" program="" report=1

fail() { echo "error: $*" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --sweep|--shards|--array|--out|--logs|--program) [[ $# -ge 2 ]] || fail "$1: expected a value" ;;&
    --sweep) sweep=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --array) array=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --logs) logs=$2; shift 2 ;;
    --program) program=$2; shift 2 ;;
    --no-report) report=0; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) fail "$1: unknown option; expected --sweep, --shards, --array, --out, --logs, --program, --no-report or -- then sbatch options" ;;
  esac
done

[[ -f $sweep ]] || fail "--sweep $sweep: file not found; expected a sweep file (YAML or JSON)"
[[ $shards =~ ^[1-9][0-9]*$ ]] || fail "--shards $shards: expected the number of shards, a whole number of at least 1"
array=${array:-0-$((shards - 1))}
# The largest index the array asks for must name a shard: sbatch's forms are a, a-b, a-b:step, lists of them, and %limit.
[[ $array =~ ^[0-9]+(-[0-9]+(:[0-9]+)?)?(,[0-9]+(-[0-9]+(:[0-9]+)?)?)*(%[0-9]+)?$ ]] \
  || fail "--array $array: expected sbatch's array form, e.g. 0-7, 0-6:2 or 1,3,5"
last=0 ranges=${array%\%*}
for range in ${ranges//,/ }; do
  first=${range%%-*} end=${range#*-} step=1
  [[ $end == *:* ]] && step=${end#*:} end=${end%%:*}
  ((step > 0)) || fail "--array $array: expected a step of at least 1"
  end=$((first + (end - first) / step * step)) # the last index the range really has
  ((end > last)) && last=$end
done
((last < shards)) || fail "--array $array: index $last is not a shard of --shards $shards; expected indices from 0 to $((shards - 1))"
command -v sbatch >/dev/null || fail "sbatch: not found; expected to run on a Slurm submit host"

sweep=$(realpath "$sweep")
source "$here/program.sh"
prepare_program

job=$(sbatch --parsable --array="$array" --output="$logs/%x-%A_%a.out" "$@" \
  "$here/sweep.sbatch" "$program" "$sweep" "$shards" "$out")
job=${job%%;*}
echo "submitted job array $job: shards $array of $shards of $sweep; records in $out/results; logs in $logs"
if ((report)); then
  reportjob=$(sbatch --parsable --dependency="afterany:$job" --output="$logs/%x-%j.out" "$here/report.sbatch" "$program" "$sweep" "$out")
  echo "submitted report job ${reportjob%%;*} (after every task of $job): says how many of the sweep's specs are complete"
fi
