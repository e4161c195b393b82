#!/usr/bin/env python3
# The start of a monitor server child, by hand, for A/B runs across JDKs (docs/benchmarks.md, "Branch aot"):
# spawn, poll /health every 0.5 ms, process CPU at healthy (/proc/<pid>/stat), then per MODE: health (nothing),
# hooks (one hook, timed), life (also 300 hooks and dashboard reads); SIGTERM and the time to exit (the cost of a
# recording at exit), CPU of the whole life with its children (wait4). Fixtures: ../shared/fixtures/claude-code-hooks.
# usage: st.py PORT HOME MODE(health|hooks) OUTFILE java-command...
# Prints: wall to first 200 /health, process CPU then, first hook answer ms, exit wall after SIGTERM, total CPU incl. children
import subprocess, sys, time, socket, os, signal, json, glob
port=int(sys.argv[1]); home=sys.argv[2]; mode=sys.argv[3]; outf=sys.argv[4]; cmd=sys.argv[5:]
env=dict(os.environ); env["SOLO_HOME"]=home; env["SOLO_MONITOR_CHILD"]="1"; env["MALLOC_ARENA_MAX"]="2"
tck=os.sysconf("SC_CLK_TCK")
def cpu(pid):
    with open(f"/proc/{pid}/stat") as f: st=f.read().split(")")[1].split()
    return (int(st[11])+int(st[12]))*1000/tck
def req(method, path, body=b"", hdr=""):
    s=socket.create_connection(("127.0.0.1",port),timeout=5)
    s.sendall((f"{method} {path} HTTP/1.1\r\nHost: localhost:{port}\r\n{hdr}Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()+body)
    d=b""
    while True:
        c=s.recv(65536)
        if not c: break
        d+=c
    s.close(); return d
out=open(outf,"ab")
t0=time.monotonic()
p=subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
ok=False
while time.monotonic()-t0<60:
    try:
        if req("GET","/health").startswith(b"HTTP/1.1 200"): ok=True; break
    except OSError: pass
    time.sleep(0.0005)
t1=time.monotonic(); c1=cpu(p.pid)
first=-1
if mode!="health":
    kf=home+"/ingest-key"
    if not os.path.exists(kf): req("POST","/api/hooks",b"{}","Authorization: Bearer x\r\n")
    key=[l for l in open(kf).read().split("\n") if l.strip()][-1].split()[-1]
    fx=sorted(glob.glob(""+os.environ.get("SOLO_FIXTURES","../shared/fixtures")+"/claude-code-hooks/*.json"))
    hdr=f"Authorization: Bearer {key}\r\n"
    ta=time.monotonic(); r=req("POST","/api/hooks",open(fx[0],"rb").read(),hdr); first=(time.monotonic()-ta)*1000
    assert b" 20" in r.split(b"\r\n")[0], r[:200]
    if mode=="life":
        for i in range(300):
            req("POST","/api/hooks",open(fx[i%len(fx)],"rb").read(),hdr)
        tok=open(home+"/token").read().strip() if os.path.exists(home+"/token") else ""
        for path in ["/","/api/streams","/app.js","/style.css"]:
            try: req("GET",path,b"",f"Authorization: Bearer {tok}\r\n")
            except OSError: pass
c2=cpu(p.pid)
t2=time.monotonic()
p.send_signal(signal.SIGTERM)
_,status,ru=os.wait4(p.pid,0)
t3=time.monotonic()
chld=os.times()
print(f"{'ok' if ok else 'FAIL'} health={int((t1-t0)*1000)}ms cpu_at_health={int(c1)}ms first_hook={first:.1f}ms cpu_before_stop={int(c2)}ms exit={int((t3-t2)*1000)}ms total_cpu={int((ru.ru_utime+ru.ru_stime)*1000)}ms maxrss={ru.ru_maxrss//1024}MB load={open('/proc/loadavg').read().split()[0]}", flush=True)
