#!/bin/sh
# Starts a private systemd user manager for a test, confined as far as the machine allows:
#   user-systemd.sh <cgroup name> <empty directory> <systemd binary>
# - in a cgroup of its own (<cgroup name> under the root of every cgroup hierarchy systemd uses), so the
#   manager takes only this process into its init.scope: systemd moves every process of the cgroup it
#   starts in there, which at the root would be the whole machine's;
# - in a mount namespace of its own, where an empty directory with a 'system' folder is bound over
#   /run/systemd: 'systemd --user' refuses to run where the machine was not booted with systemd, and the
#   machine's /run stays untouched.
# Environment: XDG_RUNTIME_DIR, XDG_CONFIG_HOME and HOME point into the test's temporary directory.
# exec all the way down: the process the test started is the manager, and ending it ends everything.
# The test removes the cgroups afterwards.
set -eu
name="$1"; run="$2"; systemd="$3"
# The hierarchies systemd tracks its units in (legacy or hybrid: name=systemd and unified; pure v2: the
# root); they must take us. The controllers systemd uses: best effort.
tracked=""
for h in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do [ -d "$h" ] && tracked="$tracked $h"; done
[ -z "$tracked" ] && [ -f /sys/fs/cgroup/cgroup.controllers ] && tracked=/sys/fs/cgroup
[ -n "$tracked" ] || { echo "no cgroup hierarchy under /sys/fs/cgroup" >&2; exit 1; }
for h in $tracked; do
  mkdir "$h/$name"
  echo $$ > "$h/$name/cgroup.procs"
done
for c in pids memory cpu cpu,cpuacct blkio io; do
  h=/sys/fs/cgroup/$c
  [ -d "$h" ] && [ ! -L "$h" ] && mkdir "$h/$name" 2>/dev/null && { echo $$ > "$h/$name/cgroup.procs" || true; }
done
mkdir -p "$run/system"
exec unshare --mount --propagation private sh -c 'mount --bind "$0" /run/systemd && exec "$1" --user' "$run" "$systemd"
