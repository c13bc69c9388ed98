#!/usr/bin/env bash
# Installs and starts a one-node SLURM cluster on this machine (Debian/Ubuntu: slurm-wlm + munge), for
# the tests and for trying `hps slurm` without a real cluster. Needs root (or password-less sudo). No
# systemd: the daemons are started directly. Clears SLURM's state directories first, so it can run
# again. Exit codes: 0 cluster up, 77 cannot run here (not root, no apt-get), 1 failed.
# The partition is called "debug"; the node offers this machine's cores and no GPUs.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n "$0" "$@"
  fi
  echo "start-local-cluster: needs root (or password-less sudo) to install and start SLURM; skipped" >&2
  exit 77
fi
if ! command -v sinfo >/dev/null || ! command -v munged >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "start-local-cluster: no apt-get to install slurm-wlm and munge; install them by hand" >&2
    exit 77
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

node=$(hostname -s)
conf_dir=/etc/slurm
[ -d /etc/slurm-llnl ] && [ ! -d /etc/slurm ] && conf_dir=/etc/slurm-llnl
# A fresh state each time: a state directory from another cluster name stops slurmctld.
pkill -x slurmd 2>/dev/null || true
pkill -x slurmctld 2>/dev/null || true
sleep 0.5
rm -rf /var/spool/slurmctld /var/spool/slurmd
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /var/lib/munge /var/log/munge "$conf_dir"
chown munge:munge /run/munge /var/lib/munge /var/log/munge
cat > "$conf_dir/slurm.conf" <<CONF
# Written by examples/slurm/start-local-cluster.sh: one node, one partition, no accounting.
ClusterName=hps-local
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
NodeName=$node CPUs=$(nproc) RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged
slurmctld
slurmd
for _ in $(seq 1 40); do
  if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
    sinfo
    exit 0
  fi
  sleep 0.5
done
echo "start-local-cluster: the node did not come up; see /var/log/slurm/slurmctld.log and slurmd.log" >&2
sinfo >&2 || true
exit 1
