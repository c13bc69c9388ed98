#!/usr/bin/env bash
# Serves /srv/hps-sftp over SSH on this machine (127.0.0.1, port 2222, a key of its own) and mounts it with
# sshfs at /mnt/hps-s: a second kind of shared filesystem, with weaker semantics than GlusterFS, for the sshfs
# test (SshfsTest) and for trying hps on it. /srv/hps-sftp is the server's own view ("machine A"), /mnt/hps-s
# the client's ("machine B"). Needs root (or password-less sudo) and /dev/fuse; installs Debian's
# openssh-server and sshfs if missing. Runs again safely. Stop it with examples/shared-fs/stop-sshfs.sh.
# Exit codes: 0 mounted, 77 cannot run here (not root, no FUSE, no apt-get), 1 failed.
set -euo pipefail

served=/srv/hps-sftp
mount=/mnt/hps-s
port=2222
key=/root/.ssh/hps_sshfs

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then exec sudo -n "$0" "$@"; fi
  echo "start-sshfs: needs root (or password-less sudo) to start sshd and mount; skipped" >&2
  exit 77
fi
if [ ! -c /dev/fuse ]; then
  echo "start-sshfs: no /dev/fuse (FUSE) on this machine; skipped" >&2
  exit 77
fi
if [ ! -x /usr/sbin/sshd ] || ! command -v sshfs >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "start-sshfs: no apt-get to install openssh-server and sshfs; install them by hand" >&2
    exit 77
  fi
  apt-get update -qq || true
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server sshfs >/dev/null; then
    echo "start-sshfs: installing openssh-server and sshfs failed; skipped" >&2
    exit 77
  fi
fi
mkdir -p /root/.ssh /run/sshd "$served"
chmod 700 /root/.ssh
[ -f "$key" ] || ssh-keygen -q -t ed25519 -N "" -f "$key"
grep -qF "$(cat "$key.pub")" /root/.ssh/authorized_keys 2>/dev/null || cat "$key.pub" >> /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
ssh-keygen -A >/dev/null
if ! pgrep -f "sshd -p $port" >/dev/null; then
  /usr/sbin/sshd -p "$port" -o ListenAddress=127.0.0.1 -o PermitRootLogin=prohibit-password \
    -o PasswordAuthentication=no
fi
# Also a stale mount whose sshfs died ("Transport endpoint is not connected"), which mountpoint(1) misses.
while grep -qs " $mount " /proc/self/mounts; do umount -l "$mount" || break; done
mkdir -p "$mount"
ok=0
for _ in $(seq 1 20); do
  if sshfs -p "$port" -o "IdentityFile=$key,StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,allow_other" \
      "root@127.0.0.1:$served" "$mount" 2>/dev/null && mountpoint -q "$mount"; then ok=1; break; fi
  sleep 0.5
done
if [ $ok -ne 1 ]; then
  echo "start-sshfs: mounting root@127.0.0.1:$served on $mount failed" >&2
  exit 1
fi
probe=".start-sshfs-$$"
echo "$probe" > "$served/$probe"
seen=$(cat "$mount/$probe" 2>/dev/null || true)
rm -f "$served/$probe"
if [ "$seen" != "$probe" ]; then
  echo "start-sshfs: a file written in $served is not visible on $mount" >&2
  exit 1
fi
echo "start-sshfs: $served served over SSH (127.0.0.1:$port) and mounted on $mount"
