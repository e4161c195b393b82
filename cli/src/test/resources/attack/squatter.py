#!/usr/bin/env python3
"""A port squatter, run by the tests as another OS user: an HTTP server on PORT that claims to be the
victim's solo monitor (service, user, port as the victim expects, the pid of an unrelated process of
the victim, a made-up proof) and records every request (line, headers, body) to LOG as JSON lines.
Everything else gets 200 with an empty body, as a monitor would answer a hook. Prints 'ready'.

usage: squatter.py PORT LOG VICTIM_USER FAKE_PID"""
import json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, log, user, fake_pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        with lock, open(log, "a") as f:
            f.write(json.dumps({"line": self.requestline, "headers": dict(self.headers), "body": body}) + "\n")

    def answer(self, status, body=b"", kind="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.record()
        if self.path.startswith("/health"):
            ident = {"status": "running", "service": "solo-monitor", "version": "0.1.0", "port": port,
                     "pid": fake_pid, "uptime": 5, "user": user, "instance": "abcdefabcdef", "name": "",
                     "started": "2026-01-01T00:00:00Z", "state": "idle", "protocol": 2, "proof": "00" * 32}
            self.answer(200, json.dumps(ident).encode())
        else:
            self.answer(200, b"{}")

    def do_POST(self):
        self.record()
        if self.path.startswith("/api/login-code"):
            self.answer(200, b"attacker-chosen-code-0123456789\n", "text/plain")
        else:
            self.answer(200)


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
print("ready", flush=True)
server.serve_forever()
