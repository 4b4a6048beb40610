#!/usr/bin/env bash
# EDGE_NFSD_IT_HOST_CHECK for it/kernel-client/run.sh --server external: NAME SCRIPT ENVFILE. Hands
# the workload's host-side check to the ARM guest (whose disk holds the export) through the job
# directory $ARM_GUEST_JOB/hostcheck, and waits (300 s at most) for its exit status.
set -u
d=$ARM_GUEST_JOB/hostcheck
cp "$2" "$d/$1.host.sh"; cp "$3" "$d/$1.env"; rm -f "$d/$1.rc"
touch "$d/$1.req"
for _ in $(seq 1 300); do
  if [[ -f "$d/$1.rc" ]]; then cat "$d/$1.out"; exit "$(cat "$d/$1.rc")"; fi
  sleep 1
done
echo "FAIL: the ARM guest did not run the host check of $1 within 300 s"
exit 1
