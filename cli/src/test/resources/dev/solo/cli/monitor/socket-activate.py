#!/usr/bin/env python3
"""Socket activation as systemd does it, for tests (systemd cannot run inside the test sandbox).

  socket-activate.py PORT LOG -- COMMAND...

Binds 127.0.0.1:PORT and listens (the socket unit: ListenStream=127.0.0.1:PORT, Accept=no), then
runs COMMAND with that listening socket as its stdin (StandardInput=socket) and restarts it when it
exits with a failure or is killed by a signal (Restart=on-failure), at most 5 times. The socket stays
open here between runs, so connections made while the child is down wait in the backlog. LOG gets
"started <pid>" and "exited <code>" lines. The child's output goes to LOG.out.
"""
import socket
import subprocess
import sys

port = int(sys.argv[1])
log = sys.argv[2]
cmd = sys.argv[4:] if sys.argv[3] == "--" else sys.argv[3:]

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port))
listener.listen(128)


def note(line):
    with open(log, "a") as f:
        f.write(line + "\n")


restarts = 0
with open(log + ".out", "ab") as out:
    while True:
        child = subprocess.Popen(cmd, stdin=listener.fileno(), stdout=out, stderr=subprocess.STDOUT)
        note("started %d" % child.pid)
        code = child.wait()
        note("exited %d" % code)
        if code == 0 or restarts >= 5:
            break
        restarts += 1
