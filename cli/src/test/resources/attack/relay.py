#!/usr/bin/env python3
"""The relay attack of issue 8, run by the tests as another OS user: listen on PORT (the port of the
victim's stopped monitor) and pass every connection through to TARGET (a live resident of the victim),
recording every byte in both directions to LOG (JSON lines). Prints 'ready' once it listens.

usage: relay.py PORT TARGET LOG"""
import json, socket, sys, threading

port, target, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()


def record(direction, data):
    with lock, open(log, "a") as f:
        f.write(json.dumps({"dir": direction, "data": data.decode("latin-1")}) + "\n")


def pump(src, dst, direction):
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            record(direction, b)
            dst.sendall(b)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def handle(client):
    try:
        upstream = socket.create_connection(("127.0.0.1", target), timeout=5)
    except OSError:
        client.close()
        return
    threads = [threading.Thread(target=pump, args=(client, upstream, "in"), daemon=True),
               threading.Thread(target=pump, args=(upstream, client, "out"), daemon=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    client.close()
    upstream.close()


server = socket.socket()
server.bind(("127.0.0.1", port))
server.listen(64)
print("ready", flush=True)
while True:
    c, _ = server.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
