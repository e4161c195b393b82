#!/usr/bin/env python3
"""A squatter on the victim's same-user socket, run by the tests as another OS user: listens on the
Unix-domain socket PATH (a place it could only reach in a misconfigured directory), answers every
connection with a /api/status that claims to be the victim's monitor on PORT (user VICTIM_USER), and
appends to LOG one line per connection: the number of bytes the client sent before it closed. A client
that checks its peer sends nothing. Prints 'ready'.

usage: unix_squatter.py PATH LOG PORT VICTIM_USER"""
import json, os, socket, sys

path, log, port, user = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
body = json.dumps({"status": "running", "service": "solo-monitor", "version": "0", "port": port, "pid": 1,
                   "uptime": 1, "user": user, "instance": "squatter", "name": "",
                   "started": "2026-01-01T00:00:00Z", "state": "idle", "protocol": 2,
                   "streams": 666, "events": 666}).encode()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
os.chmod(path, 0o777)
s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    c.settimeout(5)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            chunk = c.recv(65536)
            if not chunk:
                break
            got += chunk
        if got:
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    except OSError:
        pass
    finally:
        c.close()
    with open(log, "a") as f:
        f.write("%d\n" % len(got))
