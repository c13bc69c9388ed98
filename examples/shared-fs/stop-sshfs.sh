#!/usr/bin/env bash
# Unmounts what start-sshfs.sh mounted and stops its sshd. Needs root. Exit 0 also when nothing was running.
set -uo pipefail
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then exec sudo -n "$0" "$@"; fi
  echo "stop-sshfs: needs root" >&2
  exit 77
fi
while grep -qs " /mnt/hps-s " /proc/self/mounts; do umount -l /mnt/hps-s || break; done
pkill -f "sshd -p 2222"
echo "stop-sshfs: stopped"
exit 0
