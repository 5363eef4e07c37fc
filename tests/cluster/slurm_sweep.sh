#!/usr/bin/env bash
# A real single-node Slurm cluster runs the shipped batch scripts end to end.
#
# Starts munged, slurmctld and slurmd (Debian's munge and slurm-wlm, installed by
# scripts/setup) as root in a temporary folder, without systemd or cgroups: one node named by
# `hostname -s` with 2 CPUs, ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
# SelectType=select/cons_tres. Then
#   1. scripts/slurm/array.sbatch as a 2-task job array (two shards), then merge.sbatch;
#      the merged file must equal the serial sweep, bit for bit;
#   2. when an MPI build of sesim is given, scripts/slurm/mpi.sbatch with 2 ranks; its file
#      must equal the serial sweep too.
# Every daemon it started is stopped on exit (trap), whatever happens.
#
# Usage: slurm_sweep.sh SESIM SOURCE_DIR [SESIM_MPI]
# Exit 77 (skipped) when not run as root: slurmd must run as root to start jobs as any user.
set -euo pipefail

sesim=$1
src=$2
sesim_mpi=${3:-}

if [[ $(id -u) -ne 0 ]]; then
  echo "slurm_sweep: skipped: starting slurmd needs root (CI runs as root)"
  exit 77
fi
for b in munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$b" >/dev/null || { echo "slurm_sweep: $b is missing; run scripts/setup" >&2; exit 1; }
done

work=$(mktemp -d /tmp/sesim-slurm.XXXXXX)
chmod 700 "$work"
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [[ $rc -ne 0 ]]; then
    for log in "$work"/*.log "$work"/out/*.log; do
      [[ -f $log ]] && { echo "---- $log"; tail -n 30 "$log"; }
    done
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

node=$(hostname -s)
# Ports above the usual 6817/6818, so that a Slurm already on the machine is not disturbed.
ctld_port=$((20000 + RANDOM % 20000))
slurmd_port=$((ctld_port + 1))

# munge: a fresh key, and every file of the daemon inside the test folder.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge.key"
munged --force --foreground --key-file="$work/munge.key" --socket="$work/munge.socket" \
  --pid-file="$work/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munged.seed" \
  >"$work/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -S $work/munge.socket ]] && break; sleep 0.1; done
[[ -S $work/munge.socket ]] || { echo "slurm_sweep: munged did not start" >&2; exit 1; }

mkdir -p "$work/state" "$work/spool" "$work/out"
cat >"$work/slurm.conf" <<EOF
ClusterName=sesimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.socket
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
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
KillWait=10
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$work/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$node" >"$work/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 150); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  sleep 0.2
done
[[ $state == idle ]] || { echo "slurm_sweep: node $node is '$state', not idle" >&2; exit 1; }
echo "slurm_sweep: Slurm $(sinfo -V | awk '{print $2}') up, node $node idle"

# The sweep of the tests: short (12 months) and small (24 runs), base in this source tree.
sweep=$work/sweep.ini
sed "s|@BASE@|$src/scenarios/baseline.ini|" "$src/tests/app/sweep_small.ini" >"$sweep"
"$sesim" sweep "$sweep" -o "$work/serial.h5" -t 2 -q

# 1. The job array, then the merge job, as a user submits them (the scripts' defaults replaced
#    through the environment; --array and --cpus-per-task given on the command line take
#    precedence over the scripts' #SBATCH lines).
cd "$work/out"
jid=$(SWEEP=$sweep SHARDS_DIR=$work/out/shards SESIM=$sesim \
  sbatch --parsable --array=0-1 --cpus-per-task=1 --time=5 --output="$work/out/array-%a.log" \
  "$src/scripts/slurm/array.sbatch")
echo "slurm_sweep: submitted job array $jid"
# `timeout`: a stuck job fails the test (and the trap stops the daemons) instead of hanging.
SHARDS_DIR=$work/out/shards OUT=$work/out/merged.h5 SESIM=$sesim \
  timeout 120 sbatch --wait --dependency=afterok:"$jid" --time=5 --output="$work/out/merge.log" \
  "$src/scripts/slurm/merge.sbatch" >/dev/null
ls "$work/out/shards"
/usr/bin/python3 "$src/tests/app/sweep_same_data.py" "$work/serial.h5" "$work/out/merged.h5"

# 2. One MPI job of two ranks (Open MPI's mpirun launches them through Slurm).
if [[ -n $sesim_mpi ]]; then
  SWEEP=$sweep OUT=$work/out/mpi.h5 SESIM=$sesim_mpi OMPI_ALLOW_RUN_AS_ROOT=1 \
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    timeout 120 sbatch --wait --ntasks=2 --cpus-per-task=1 --time=5 --output="$work/out/mpi.log" \
    "$src/scripts/slurm/mpi.sbatch" >/dev/null
  /usr/bin/python3 "$src/tests/app/sweep_same_data.py" "$work/serial.h5" "$work/out/mpi.h5"
fi
echo "slurm_sweep: passed"
