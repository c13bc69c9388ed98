#!/usr/bin/env bash
# Unmounts what start-gluster.sh mounted, stops and deletes its volume and stops glusterd (and the brick
# and client processes). Needs root. Exit 0 also when nothing was running.
set -uo pipefail
mounts=(${HPS_GLUSTER_MOUNTS:-/mnt/hps-a /mnt/hps-b})
brick=${HPS_GLUSTER_BRICK:-/srv/hps-brick}
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then exec sudo -n "$0" "$@"; fi
  echo "stop-gluster: needs root" >&2
  exit 77
fi
for m in "${mounts[@]}"; do while grep -qs " $m " /proc/self/mounts; do umount -l "$m" || break; done; done
if command -v gluster >/dev/null && pgrep -x glusterd >/dev/null; then
  gluster --mode=script volume stop hpsvol force >/dev/null 2>&1
  gluster --mode=script volume delete hpsvol >/dev/null 2>&1
fi
pkill -x glusterfs; pkill -x glusterfsd; pkill -x glusterd
rm -rf "$brick"
echo "stop-gluster: stopped"
exit 0
