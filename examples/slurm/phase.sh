#!/bin/bash
# Trains a phase diagram on Slurm and writes it, from any directory: builds the program once, submits a job array of
# --shards tasks (phase.sbatch, beside this file) and waits for it (sbatch --wait), again and again until a task reports
# that every round is finished, then a last job that writes the diagram into OUT/runs/<run id> (records, phase.csv,
# phase.png, phase.md). Each round adds seeds where the records of the rounds before it need them, so it can only start
# once they have all ended: run this on a login node and keep it running (tmux, screen or nohup). Stopped or failed, it
# goes on where it stopped when run again with the same options: finished records are never trained again.
#
#   examples/slurm/phase.sh                                        # the default grid, 4 tasks a round
#   examples/slurm/phase.sh --shards 8 --out /scratch/phase --sigma-w2 1 2 4 --depth 10 20 40 -- --time=04:00:00 --mem=16G
#
# Options (defaults in brackets):
#   --shards N       tasks in each array, each one shard of a round; the same in every run for one diagram [4]
#   --limit K        at most K tasks of an array run at once (the %K of sbatch's --array) [no limit]
#   --out DIR        records go to DIR/phase-results/<spec id>.json, the diagram to DIR/runs/<run id> [artifacts in the repository]
#   --logs DIR       one log per task, DIR/<job name>-<job id>_<index>.out, and the diagram job's [OUT/slurm-logs]
#   --program PATH   a built Experiments program (or Experiments.dll) to run instead of building one into OUT/program
#   any other option goes to phase, the same in every task and in the diagram job: --sigma-w2, --depth, --seed, --max-seeds,
#                    --width, --epochs, ... (phase --help lists them; this script sets --shards, --out and --parallel)
#   -- ...           everything after -- goes to sbatch for every job (--time, --mem, --partition, --cpus-per-task, ...)
# Every folder must be one the compute nodes see at the same path (a shared file system).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
shards=4 limit="" out="$repo/artifacts" logs="" program="" phase=()

fail() { echo "error: $*" >&2; exit 2; }
failed() { echo "error: $*" >&2; exit 1; }
while (($#)); do
  case "$1" in
    --shards|--limit|--out|--logs|--program) [[ $# -ge 2 ]] || fail "$1: expected a value" ;;&
    --shards) shards=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --logs) logs=$2; shift 2 ;;
    --program) program=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    # Set here for every task alike: the shard from the array's index, the threads from --cpus-per-task.
    --shard|--shard[=:]*|--shards[=:]*|--out[=:]*|--parallel|--parallel[=:]*)
      fail "$1: set by this script; expected --shards N and --out DIR as separate words, or phase's other options" ;;
    *) phase+=("$1"); shift ;;
  esac
done
for option in "$@"; do
  case "$option" in
    # This script reads each task's log and waits for each job itself.
    --array*|-a*|--output*|-o*|--wait|-W|--parsable)
      fail "$option (after --): set by this script; expected other sbatch options (--limit K limits the tasks at once)" ;;
  esac
done

[[ $shards =~ ^[1-9][0-9]*$ ]] || fail "--shards $shards: expected the number of tasks in each array, a whole number of at least 1"
[[ -z $limit || $limit =~ ^[1-9][0-9]*$ ]] || fail "--limit $limit: expected the number of tasks at once, a whole number of at least 1"
command -v sbatch >/dev/null || fail "sbatch: not found; expected to run on a Slurm submit host"

source "$here/program.sh"
prepare_program

scratch=$(mktemp -d)
job="" waiter=""
trap 'rm -rf "$scratch"' EXIT
interrupted() {
  [[ -n $waiter ]] && kill "$waiter" 2>/dev/null
  [[ -n $job ]] && echo "job $job goes on in Slurm (scancel $job stops it); once it has ended, run the same command again to go on" >&2
  exit 130
}
trap interrupted INT TERM HUP

# sbatch --wait in the background, so that the job's id is printed (and known, should this script be stopped) as soon as
# it is submitted; sets job, and code to the job's exit code (for an array, the highest of its tasks').
submit() {
  local what=$1
  shift
  job="" code=0
  rm -f "$scratch/id" # not the last job's id, read before sbatch has written its own
  sbatch --parsable --wait "$@" >"$scratch/id" &
  waiter=$!
  while ! grep -q . "$scratch/id" 2>/dev/null && kill -0 "$waiter" 2>/dev/null; do sleep 1; done
  job=$(head -1 "$scratch/id") job=${job%%;*}
  [[ -n $job ]] && echo "submitted $what $job; waiting for it to end"
  wait "$waiter" || code=$?
  waiter=""
  [[ -n $job ]] || failed "sbatch submitted no $what (exit $code)"
}
# Finished records only: a task stopped by its time limit leaves an interrupted one, which the next array trains again.
records() { grep -l '"complete": true' "$out"/phase-results/*.json 2>/dev/null | wc -l || true; } # grep fails on an empty folder
status() { grep -E '^(round [0-9]+: |every round is finished)' "$1" | tail -1 || true; }
tails() { # the last lines of each log with no status line: a task that failed, or was stopped, before it could print one
  local log
  for log in "$@"; do [[ -z $(status "$log") ]] && { echo "   $log:"; tail -5 "$log" | sed 's/^/     /'; }; done
  return 0
}

echo "phase${phase[*]:+ ${phase[*]}}: $shards tasks a round; records in $out/phase-results; logs in $logs"
for ((submission = 1; ; submission++)); do
  before=$(records)
  submit "job array" --array="0-$((shards - 1))${limit:+%$limit}" --output="$logs/%x-%A_%a.out" "$@" \
    "$here/phase.sbatch" "$program" "$out" "$shards" "${phase[@]}"
  mapfile -t tasks < <(printf '%s\n' "$logs"/*-"$job"_*.out | sort -V) # by index: _2 before _10
  [[ -e ${tasks[0]} ]] || failed "job array $job (exit $code) left no log in $logs"
  for log in "${tasks[@]}"; do
    index=${log##*_} index=${index%.out}
    line=$(status "$log")
    echo "   task $index: ${line:-no status line (failed or stopped)}"
  done
  if ((code != 0)); then
    tails "${tasks[@]}" >&2
    failed "job array $job: a task failed (exit $code); its finished records are kept: run the same command again to go on"
  fi
  ((${#tasks[@]} == shards)) || failed "job array $job left ${#tasks[@]} log(s) in $logs; expected $shards, one a task"
  after=$(records)
  echo "   job array $job ended: $((after - before)) new finished record(s), $after in $out/phase-results"
  # Records are only ever added, so a task that found every round finished speaks for the whole diagram.
  grep -q '^every round is finished' "${tasks[@]}" && break
  # Each array trains at least the rest of a round, or some task says every round is finished: this guards against looping.
  ((after > before)) || failed "job array $job trained nothing, yet no task reports every round finished; see its logs in $logs"
done

echo "every round is finished after $submission job array(s); the diagram job writes the diagram"
submit "diagram job" --job-name=gradient-phase-diagram --output="$logs/%x-%j.out" "$@" \
  "$here/phase.sbatch" "$program" "$out" diagram "${phase[@]}"
log=$(ls "$logs"/*-"$job".out 2>/dev/null || true)
if ((code != 0)); then
  [[ -n $log ]] && tail -5 "$log" | sed 's/^/   /' >&2
  failed "the diagram job $job failed (exit $code); log: ${log:-none in $logs}; run the same command again to go on"
fi
run=$(cat "$out/runs/latest.txt")
echo "the diagram: $out/runs/$run (phase.md, phase.csv, phase.png); log: $log"
