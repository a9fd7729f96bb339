#!/usr/bin/env python3
"""Launch the server (argv[2:]) and time process start -> first HTTP 200 on /healthz.

argv[1] is host:port. Prints `cold_start_ms=<ms> pid=<pid>`; the server keeps running (its
stderr goes to $TC_SERVER_LOG). Polls every 2 ms with a raw socket (no client start-up cost)."""
import os, socket, subprocess, sys, time

host, port = sys.argv[1].rsplit(":", 1)
log = open(os.environ.get("TC_SERVER_LOG", "/dev/null"), "ab")
t0 = time.monotonic()
proc = subprocess.Popen(sys.argv[2:], stdout=log, stderr=log, start_new_session=True)
req = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
while True:
    if proc.poll() is not None:
        sys.exit(f"server exited with {proc.returncode}")
    if time.monotonic() - t0 > 60:
        sys.exit("no 200 on /healthz within 60 s")
    try:
        with socket.create_connection((host, int(port)), timeout=1) as s:
            s.sendall(req)
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                break
    except OSError:
        pass
    time.sleep(0.002)
print(f"cold_start_ms={(time.monotonic() - t0) * 1000:.0f} pid={proc.pid}")
