#!/usr/bin/env python3
"""Reads every process's command line (/proc/*/cmdline) as fast as it can, as an unprivileged user
can, and keeps every distinct one (or only those holding one of the WORDs, when given). Stops when STOP
exists, then writes what it saw to OUT as JSON. Prints 'ready' once it polls.

usage: cmdlines.py OUT STOP [WORD...]"""
import json, os, sys

out, stop, words = sys.argv[1], sys.argv[2], sys.argv[3:]
seen, rounds = set(), 0
me = str(os.getpid())
print("ready", flush=True)
while not os.path.exists(stop):
    rounds += 1
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == me:
            continue
        try:
            with open("/proc/" + pid + "/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except OSError:
            continue
        if cmd and (not words or any(w in cmd for w in words)):
            seen.add(cmd)
with open(out, "w") as f:
    json.dump({"rounds": rounds, "seen": sorted(seen)}, f)
