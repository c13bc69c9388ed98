#!/usr/bin/env bash
# Starts a one-node GlusterFS volume on this machine and mounts it twice, at /mnt/hps-a and /mnt/hps-b: two
# FUSE clients of one distributed filesystem, each with its own caches and view, as two machines sharing a
# study directory would have. For the shared-filesystem tests (SharedFilesystemTest) and for trying hps on a
# real distributed filesystem. Needs root (or password-less sudo) and /dev/fuse; installs Debian's
# glusterfs-server if missing. No systemd: glusterd is started directly. Runs again safely (it reuses a
# running volume and remounts). Stop it with examples/shared-fs/stop-gluster.sh.
# Exit codes: 0 both mounts up, 77 cannot run here (not root, no FUSE, no apt-get), 1 failed.
# Environment: HPS_GLUSTER_MOUNTS (default "/mnt/hps-a /mnt/hps-b"), HPS_GLUSTER_BRICK (default /srv/hps-brick).
set -euo pipefail

mounts=(${HPS_GLUSTER_MOUNTS:-/mnt/hps-a /mnt/hps-b})
brick=${HPS_GLUSTER_BRICK:-/srv/hps-brick}
volume=hpsvol

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n env HPS_GLUSTER_MOUNTS="${mounts[*]}" HPS_GLUSTER_BRICK="$brick" "$0" "$@"
  fi
  echo "start-gluster: needs root (or password-less sudo) to start glusterd and mount; skipped" >&2
  exit 77
fi
if [ ! -c /dev/fuse ]; then
  echo "start-gluster: no /dev/fuse (FUSE) on this machine, so a GlusterFS volume cannot be mounted; skipped" >&2
  exit 77
fi
if ! command -v glusterd >/dev/null || ! command -v mount.glusterfs >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "start-gluster: no apt-get to install glusterfs-server; install it by hand" >&2
    exit 77
  fi
  apt-get update -qq || true
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq glusterfs-server >/dev/null; then
    echo "start-gluster: installing glusterfs-server failed; skipped" >&2
    exit 77
  fi
fi

node=$(hostname)
if ! getent hosts "$node" >/dev/null; then
  # GlusterFS names its bricks by host name: make this machine's resolve.
  echo "127.0.1.1 $node" >> /etc/hosts
  echo "start-gluster: added $node to /etc/hosts (it did not resolve)"
fi
pgrep -x glusterd >/dev/null || glusterd
for _ in $(seq 1 40); do
  gluster --mode=script volume list >/dev/null 2>&1 && break
  sleep 0.5
done
if ! gluster --mode=script volume info "$volume" >/dev/null 2>&1; then
  rm -rf "$brick"
  mkdir -p "$brick"
  # force: the brick lies on the root filesystem, which gluster otherwise refuses for a production volume.
  gluster --mode=script volume create "$volume" "$node:$brick" force >/dev/null
fi
if ! gluster --mode=script volume info "$volume" | grep -q '^Status: Started'; then
  gluster --mode=script volume start "$volume" >/dev/null
elif ! gluster --mode=script volume status "$volume" 2>/dev/null | grep -q '^Brick.* Y '; then
  # Started on record but its brick process is not running (glusterd restarted after a crash or a
  # snapshot): start it again.
  gluster --mode=script volume start "$volume" force >/dev/null
fi
for m in "${mounts[@]}"; do
  # Unmount what is mounted there, also a stale mount whose FUSE client died ("Transport endpoint is not
  # connected": mountpoint(1) and mkdir cannot even stat it), as a machine restored from a snapshot has.
  while grep -qs " $m " /proc/self/mounts; do umount -l "$m" || break; done
  mkdir -p "$m"
  ok=0
  for _ in $(seq 1 20); do
    if mount -t glusterfs "$node:/$volume" "$m" 2>/dev/null && mountpoint -q "$m"; then ok=1; break; fi
    sleep 0.5
  done
  if [ $ok -ne 1 ]; then
    echo "start-gluster: mounting $node:/$volume on $m failed; see /var/log/glusterfs/" >&2
    exit 1
  fi
  chmod 1777 "$m"
done
# The two mounts must show one directory: a file written through the first is read through the second.
probe=".start-gluster-$$"
echo "$probe" > "${mounts[0]}/$probe"
seen=""
for _ in $(seq 1 20); do
  seen=$(cat "${mounts[1]}/$probe" 2>/dev/null || true)
  [ "$seen" = "$probe" ] && break
  sleep 0.2
done
rm -f "${mounts[0]}/$probe"
if [ "$seen" != "$probe" ]; then
  echo "start-gluster: a file written on ${mounts[0]} is not visible on ${mounts[1]}" >&2
  exit 1
fi
echo "start-gluster: volume $volume ($node:$brick) mounted on ${mounts[*]}"
