# An attacker of another OS user: opens N idle TCP connections to a port and holds them, sending nothing.
# usage: idle_flood.py PORT N; prints "ready" once they are open (or refused), then holds them until killed.
import socket
import sys
import time

port, n = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(n):
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError:
        pass
print("ready", flush=True)
while True:
    time.sleep(3600)
