#!/bin/bash
# A real-cluster smoke test of submit.sh and phase.sh: a one-node Slurm cluster on localhost (slurmctld, slurmd and munged
# started here, with a generated slurm.conf in a temporary folder), the examples submitted as a user would, and the
# records checked byte for byte against an unsharded sweep of the same file, the phase diagram's phase.csv against an
# unsharded phase of the same options. Needs root (it installs Debian's slurm-wlm and munge if missing); every daemon it
# starts is stopped when it ends, however it ends. Run from any directory:
#   examples/slurm/smoke.sh
# Sweep submissions: a stepped array (--array=0-6:2 of 7 shards), its complement (1-5:2), and, after shard 3's records
# are deleted, index 3 alone again, with its report job. Phase: a tiny grid in 2 tasks a round, one task at a time, so
# that it takes two arrays and then the diagram job; then phase.sh again, which finds every round finished at once.
# Not part of CI (it installs system packages and starts daemons).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
step() { echo "== $*"; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }

((EUID == 0)) || fail "run as root: it installs packages and starts slurmctld, slurmd and munged"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  step "installing slurm-wlm and munge (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
step "$(slurmctld -V), munge $(munged --version 2>&1 | awk '{print $2}')"

work=$(mktemp -d /tmp/slurm-smoke.XXXXXX)
chmod 755 "$work" # munged refuses a key or socket in a folder others can write; 755 is fine
pids=() names=()
stop() {
  local code=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  local left=() pid
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left+=("$pid"); done
  if ((code == 0)); then rm -rf "$work"; else echo "kept for a look: $work (daemon logs in $work/*.log)" >&2; fi
  if ((${#left[@]})); then echo "== still running: ${left[*]}" >&2; exit 1; fi
  echo "== stopped every daemon this script started: ${names[*]}"
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

step "munged with its own key and socket in $work/munge"
mkdir -m 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none && chmod 600 "$work/munge/munge.key"
munged --foreground --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munge/seed" >>"$work/munged.out" 2>&1 &
pids+=($!) names+=("munged ($!)")

host=$(hostname -s)
memory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 2048))
export SLURM_CONF=$work/slurm.conf
mkdir -p "$work/state" "$work/spool"
cat > "$SLURM_CONF" <<CONF
ClusterName=smoke
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=$memory State=UNKNOWN
PartitionName=smoke Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

step "slurmctld and slurmd on $host (CPUs=2), config $SLURM_CONF"
for _ in $(seq 50); do [[ -S $work/munge/munge.socket ]] && break; sleep 0.2; done
slurmctld -D -i -f "$SLURM_CONF" >>"$work/slurmctld.out" 2>&1 &
pids+=($!) names+=("slurmctld ($!)")
slurmd -D -f "$SLURM_CONF" >>"$work/slurmd.out" 2>&1 &
pids+=($!) names+=("slurmd ($!)")
for i in $(seq 120); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  ((i % 20 == 0)) && scontrol update nodename="$host" state=resume 2>/dev/null || true
  ((i == 120)) && fail "the node is not idle after 60 s (state: ${state:-none}); see $work/slurmd.log"
  sleep 0.5
done
sinfo

sweep=$work/sweep.yaml
printf 'depth: [2, 3]\nactivation: [tanh, relu]\nseed: [1, 2]\nwidth: 16\nsamples: 200\nepochs: 1\n' > "$sweep"
out=$work/out
wait_for() { # job ids: until none is queued or running
  for _ in $(seq 1200); do
    [[ -z $(squeue -h -j "$(IFS=,; echo "$*")" -o %i 2>/dev/null) ]] && return 0
    sleep 1
  done
  fail "jobs $* still queued or running after 20 minutes"
}
submitted() { sed -n 's/^submitted job array \([0-9]*\).*/\1/p; s/^submitted report job \([0-9]*\).*/\1/p' "$1"; }
check_states() { # every task of the jobs COMPLETED with exit code 0
  local bad
  bad=$(for job in "$@"; do scontrol -o show job "$job"; done | grep -v 'JobState=COMPLETED .*ExitCode=0:0' || true)
  [[ -z $bad ]] || fail "tasks that did not complete with exit 0: $(echo "$bad" | tr ' ' '\n' | grep '^JobId=\|^JobState=\|^ExitCode=' | paste -sd' ')"
  for job in "$@"; do scontrol -o show job "$job"; done | tr ' ' '\n' | grep '^JobId=\|^ArrayTaskId=\|^JobState=\|^ExitCode=' \
    | paste -sd' ' | sed 's/ JobId=/\n   JobId=/g; s/^/   /'
}

step "submission 1, a stepped array: submit.sh --shards 7 --array 0-6:2 (publishes the program once), from $(pwd)"
"$here/submit.sh" --sweep "$sweep" --shards 7 --array 0-6:2 --out "$out" --no-report -- --cpus-per-task=1 --mem=2G | tee "$work/submit1"
step "submission 2, its complement: --array 1-5:2, the program already built"
"$here/submit.sh" --sweep "$sweep" --shards 7 --array 1-5:2 --out "$out" --program "$out/program/Experiments" --no-report \
  -- --cpus-per-task=1 --mem=2G | tee "$work/submit2"
jobs=($(submitted "$work/submit1") $(submitted "$work/submit2"))
wait_for "${jobs[@]}"
check_states "${jobs[@]}"
for log in "$out"/slurm-logs/*.out; do echo "   $(basename "$log"): $(grep -h '^sweep' "$log" | paste -sd' ')"; done
(($(ls "$out/results" | wc -l) == 8)) || fail "expected 8 records after tasks 0-6, found $(ls "$out/results" | wc -l)"

step "an index past the count is refused at submission"
if "$here/submit.sh" --sweep "$sweep" --shards 7 --array 0-7 --out "$out" --program "$out/program/Experiments" 2>"$work/refused"; then
  fail "--array 0-7 of 7 shards was submitted"
fi
echo "   $(cat "$work/refused")"

step "shard 3's records deleted, as a failed task leaves nothing, then index 3 re-submitted alone with its report job"
shard3=($("$out/program/Experiments" sweep "$sweep" --shard 3/7 --out "$out" --dry-run | sed -n 's/.*spec \([0-9a-f]*\).*/\1/p'))
((${#shard3[@]} > 0)) || fail "shard 3 of 7 has no specs"
mkdir "$work/shard3-before"
for id in "${shard3[@]}"; do mv "$out/results/$id.json" "$work/shard3-before/"; done
echo "   shard 3: ${shard3[*]}; $(ls "$out/results" | wc -l) records left"
set +e
"$out/program/Experiments" report --expect "$sweep" "$out/results" --out "$work/partial" >"$work/partial.out" 2>&1
code=$?
set -e
((code == 3)) && grep -q "^$((8 - ${#shard3[@]})) of 8 specs complete" "$work/partial.out" && grep -q "missing: .*(spec ${shard3[0]})" "$work/partial.out" \
  || fail "report --expect over 7 of 8 records: exit $code, $(cat "$work/partial.out")"
echo "   report --expect now: exit $code, $(grep -h 'specs complete\|missing:' "$work/partial.out" | paste -sd' ')"
"$here/submit.sh" --sweep "$sweep" --shards 7 --array 3 --out "$out" --program "$out/program/Experiments" \
  -- --cpus-per-task=1 --mem=2G | tee "$work/submit3"
jobs3=($(submitted "$work/submit3"))
wait_for "${jobs3[@]}"
check_states "${jobs3[@]}"
log3=$(ls "$out"/slurm-logs/gradient-sweep-"${jobs3[0]}"_3.out)
grep -q "shard 3/7: ${#shard3[@]}; 0 already complete" "$log3" || fail "the re-submitted index did not train shard 3/7 alone: $(head -1 "$log3")"
echo "   $(basename "$log3"): $(grep -h '^sweep' "$log3" | paste -sd' ')"
for id in "${shard3[@]}"; do cmp -s "$work/shard3-before/$id.json" "$out/results/$id.json" || fail "shard 3's record $id differs when trained again"; done
echo "   the re-trained records of shard 3 equal the first ones byte for byte"
report_log=$(ls "$out"/slurm-logs/gradient-report-"${jobs3[1]}".out)
grep -q "^8 of 8 specs complete" "$report_log" || fail "the report job did not find 8 of 8 specs complete: $(cat "$report_log")"
echo "   report job: $(grep -h 'specs complete\|report over' "$report_log" | paste -sd' ')"

step "the same sweep unsharded, outside Slurm, compared byte for byte"
"$out/program/Experiments" sweep "$sweep" --out "$work/unsharded" --parallel 2 | tail -1 | sed 's/^/   /'
differ=0
for record in "$work/unsharded/results"/*.json; do
  cmp -s "$record" "$out/results/$(basename "$record")" || { echo "   differs: $(basename "$record")"; differ=$((differ + 1)); }
done
(($(ls "$work/unsharded/results" | wc -l) == 8 && differ == 0)) || fail "$differ of the 8 records differ from the unsharded sweep's"
echo "   8 of 8 records identical ($(cat "$work/unsharded/results"/*.json | wc -c) bytes)"

step "report --expect over the job array's results"
"$out/program/Experiments" report --expect "$sweep" "$out/results" --out "$work/report" | sed 's/^/   /'

phase=(--sigma-w2 4 --depth 2 3 --seed 1 --max-seeds 2 --width 8 --samples 200 --epochs 1)
phase_out=$work/phase
phase_jobs() { sed -n 's/^submitted \(job array\|diagram job\) \([0-9]*\).*/\2/p' "$1"; }
arrays() { grep -c '^submitted job array' "$1" || true; }
step "phase.sh refuses an option it sets itself"
if "$here/phase.sh" --out "$phase_out" --program "$out/program/Experiments" "${phase[@]}" --shard 0/2 2>"$work/refused"; then
  fail "phase.sh --shard 0/2 was run"
fi
echo "   $(cat "$work/refused")"

# One task at a time, a round's first task ends before its second starts: the first array ends inside round 2, whatever
# the order of its tasks, and a second array finishes it.
step "phase.sh --shards 2 --limit 1: ${phase[*]}"
"$here/phase.sh" --shards 2 --limit 1 --out "$phase_out" --program "$out/program/Experiments" "${phase[@]}" \
  -- --cpus-per-task=1 --mem=2G | tee "$work/phase1"
mapfile -t jobs < <(phase_jobs "$work/phase1")
check_states "${jobs[@]}"
(($(arrays "$work/phase1") == 2)) || fail "expected 2 job arrays (round 1, then the rest of round 2), found $(arrays "$work/phase1")"
first=$(cat "$phase_out/runs/latest.txt")
[[ -f $phase_out/runs/$first/phase.csv ]] || fail "no phase.csv in $phase_out/runs/$first"
echo "   the diagram job wrote $(find "$phase_out/runs/$first" -type f -printf '%f\n' | sort | paste -sd' ')"

step "phase.sh again with the same options: one array, whose tasks find every round finished, then the diagram"
"$here/phase.sh" --shards 2 --out "$phase_out" --program "$out/program/Experiments" "${phase[@]}" \
  -- --cpus-per-task=1 --mem=2G | tee "$work/phase2"
mapfile -t jobs < <(phase_jobs "$work/phase2")
check_states "${jobs[@]}"
(($(arrays "$work/phase2") == 1)) || fail "expected 1 job array, found $(arrays "$work/phase2")"
(($(grep -c '^   task [0-9]*: every round is finished' "$work/phase2") == 2)) || fail "not every task found every round finished"
second=$(cat "$phase_out/runs/latest.txt")
[[ $second != "$first" ]] || fail "the second diagram job wrote no new run folder"
cmp -s "$phase_out/runs/$first/phase.csv" "$phase_out/runs/$second/phase.csv" || fail "the second diagram's phase.csv differs from the first's"
echo "   $second: phase.csv equal to $first's, no record trained again"

step "the same phase unsharded, outside Slurm, compared byte for byte"
"$out/program/Experiments" phase "${phase[@]}" --out "$work/phase-unsharded" --parallel 2 >"$work/phase-unsharded.out"
unsharded=$work/phase-unsharded/runs/$(cat "$work/phase-unsharded/runs/latest.txt")
echo "   wrote $unsharded"
cmp "$unsharded/phase.csv" "$phase_out/runs/$first/phase.csv" || fail "phase.csv differs from the unsharded phase's"
differ=0
for record in "$work/phase-unsharded/phase-results"/*.json; do
  cmp -s "$record" "$phase_out/phase-results/$(basename "$record")" || { echo "   differs: $(basename "$record")"; differ=$((differ + 1)); }
done
count=$(find "$work/phase-unsharded/phase-results" -name '*.json' | wc -l)
((count == $(find "$phase_out/phase-results" -name '*.json' | wc -l) && differ == 0)) || fail "$differ of the $count records differ from the unsharded phase's"
echo "   phase.csv identical ($(wc -l <"$unsharded/phase.csv") lines, $(wc -c <"$unsharded/phase.csv") bytes); $count of $count records identical"
step "SMOKE PASSED"
