#!/usr/bin/env bash
# `mpirun -np N sesim sweep` (Debian's Open MPI) gives the same data as the one-process sweep,
# bit for bit; SIGTERM to mpirun (what Slurm sends at a time limit) stops every rank with the
# finished runs saved, and a resume under mpirun completes the same data. A paired sweep too.
# Usage: mpi_sweep.sh SESIM SESIM_MPI SOURCE_DIR   (SESIM_MPI: built with -DSESIM_MPI=ON)
set -euo pipefail
sesim=$1
sesim_mpi=$2
src=$3
command -v mpirun >/dev/null || { echo "mpi_sweep: mpirun is missing; run scripts/setup" >&2; exit 1; }
work=$(mktemp -d /tmp/sesim-sweep-mpi.XXXXXX)
trap 'rm -rf "$work"' EXIT
same() {
  /usr/bin/python3 "$src/tests/app/sweep_same_data.py" "$1" "$2" || {
    echo "mpi_sweep: (both sesim binaries must be built from the same sources:" \
      "$("$sesim" --version) / $("$sesim_mpi" --version))" >&2
    return 1
  }
}
# CI runs as root, which Open MPI refuses unless told; 2 cores: allow more ranks than cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# `timeout`: a hung job fails the test instead of blocking the suite.
mpi=(timeout 120 mpirun --oversubscribe --bind-to none)

sweep=$work/mpi.ini
sed -e "s|@BASE@|$src/scenarios/baseline.ini|" -e 's/^design = .*/design = lhs/' \
    -e 's/^samples = .*/samples = 60/' -e 's/^months = .*/months = 24/' \
    "$src/tests/app/sweep_small.ini" >"$sweep"
"$sesim" sweep "$sweep" -o "$work/serial.h5" -t 2 -q
# The MPI build started without mpirun runs as one process.
"$sesim_mpi" sweep "$sweep" -o "$work/mpi-build-serial.h5" -t 2 -q
same "$work/serial.h5" "$work/mpi-build-serial.h5"

"${mpi[@]}" -np 2 -x OMP_NUM_THREADS=1 "$sesim_mpi" sweep "$sweep" -o "$work/np2.h5" -q
same "$work/serial.h5" "$work/np2.h5"
"${mpi[@]}" -np 3 -x OMP_NUM_THREADS=2 "$sesim_mpi" sweep "$sweep" -o "$work/np3.h5" -q
same "$work/serial.h5" "$work/np3.h5"

# A paired Morris sweep (issue 9): each result carries the scenario's and the baseline's values.
cat >"$work/paired.ini" <<EOF
name = paired
base = $src/scenarios/setaside_5pct.ini
baseline = $src/scenarios/baseline.ini
design = morris
trajectories = 6
candidates = 12
replicates = 2
outputs = jobs_target_group, se_scaled
keep = 2020-12
[set]
months = 24
[vary]
partner_hazard = 0.001 to 0.004 log
entrant_fte = 1 to 2
EOF
"$sesim" sweep "$work/paired.ini" -o "$work/paired-serial.h5" -t 2 -q
"${mpi[@]}" -np 2 -x OMP_NUM_THREADS=1 "$sesim_mpi" sweep "$work/paired.ini" \
  -o "$work/paired-np2.h5" -q
same "$work/paired-serial.h5" "$work/paired-np2.h5"

# SIGTERM while the ranks work, as Slurm sends it at a time limit: to mpirun and to every rank
# (slurmstepd signals all processes of the job). mpirun then waits odls_base_sigkill_timeout
# seconds, signals the ranks again and kills them after as long again; 3 s here (the default,
# 1 s, can be too short for the last checkpoint on a busy machine; scripts/slurm/mpi.sbatch
# sets 20). Then resume under mpirun. (The sweep is long enough to be cut: 500 runs of 60
# months, some 4 s on two cores.)
sed -e 's/^samples = .*/samples = 250/' -e 's/^months = .*/months = 60/' "$sweep" >"$work/long.ini"
"$sesim" sweep "$work/long.ini" -o "$work/long.h5" -t 2 -q
OMPI_MCA_odls_base_sigkill_timeout=3 mpirun --oversubscribe --bind-to none -np 2 \
  -x OMP_NUM_THREADS=1 "$sesim_mpi" sweep "$work/long.ini" -o "$work/term.h5" \
  --checkpoint 0.2 >"$work/term.log" 2>&1 &
pid=$!
ranks=""  # the ranks mpirun started (its children)
for _ in $(seq 100); do
  ranks=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
  [[ $(wc -w <<<"$ranks") -ge 2 ]] && break
  sleep 0.05
done
# Signal once the first checkpoint is on disk (a run's status is 1 in the working file), not
# after a fixed time: on a slow or busy machine the ranks may not have saved anything by then.
# The writer holds HDF5's lock on the file; the reader skips locking and only reads `status`,
# which is raw data at a fixed offset (output/sweep_file.hpp).
checkpointed=0
for _ in $(seq 600); do
  if [[ -f $work/term.h5.partial ]] &&
    HDF5_USE_FILE_LOCKING=FALSE /usr/bin/python3 -c "import h5py, sys
with h5py.File(sys.argv[1], 'r') as f: sys.exit(0 if (f['status'][:] == 1).any() else 1)" \
      "$work/term.h5.partial" 2>/dev/null; then
    checkpointed=1
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
((checkpointed)) || { echo "mpi_sweep: no checkpoint appeared within 30 s" >&2; cat "$work/term.log"; exit 1; }
kill -TERM "$pid" $ranks
rc=0
wait "$pid" || rc=$?
cat "$work/term.log"
[[ -f $work/term.h5.partial && ! -e $work/term.h5 ]] ||
  { echo "mpi_sweep: SIGTERM did not leave a partial sweep" >&2; exit 1; }
grep -q -- "--resume" "$work/term.log" || { echo "mpi_sweep: no resume command" >&2; exit 1; }
"${mpi[@]}" -np 2 -x OMP_NUM_THREADS=1 "$sesim_mpi" sweep "$work/long.ini" -o "$work/term.h5" \
  --resume -q
same "$work/long.h5" "$work/term.h5"
echo "mpi_sweep: passed (mpirun exit code after SIGTERM: $rc)"
