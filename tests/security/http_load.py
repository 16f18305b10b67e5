#!/usr/bin/env python3
"""Bounded loads against a parley server on loopback, for tests/security/http_*.sh.

Every subcommand prints KEY=VALUE lines for the shell test to check. Each load
stops by itself: sockets have timeouts and loops have fixed counts.

  uploads PORT PID N MIB PATH       N unauthenticated uploads of MIB MiB in parallel;
                                    samples the server's VmRSS; aborts past 300 MB
  idle PORT N SRC                   N idle connections from address SRC, then a
                                    request from 127.0.0.2 timed; how many stayed open
  streams PORT PID N TOKEN          N event streams (N/50 source addresses 127.0.1.x),
                                    then other requests timed and the thread count read
  loris PORT SRC SECONDS            trickles a header byte every 5 s; when was it cut
"""
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return -1
    return -1


def status_field(pid, name):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return -1


def connect(port, src=None, timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if src:
        s.bind((src, 0))
    s.connect((HOST, port))
    return s


def timed_get(port, path, src="127.0.0.2", headers="", timeout=5):
    """Seconds until a full status line came back, and the status (0 on failure)."""
    t0 = time.monotonic()
    try:
        s = connect(port, src, timeout)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n".encode())
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        status = int(data.split(b" ")[1]) if data.startswith(b"HTTP/") else 0
    except (OSError, ValueError, IndexError):
        status = 0
    return time.monotonic() - t0, status


def cmd_uploads(port, pid, n, mib, path):
    port, pid, n, mib = int(port), int(pid), int(n), int(mib)
    size = mib * 1024 * 1024
    chunk = b"x" * (256 * 1024)
    stop = threading.Event()
    peak = [rss_kb(pid)]
    base = peak[0]
    statuses = []
    sent_total = [0]
    lock = threading.Lock()

    def sampler():
        while not stop.is_set():
            r = rss_kb(pid)
            peak[0] = max(peak[0], r)
            if r > 300 * 1024:
                stop.set()  # the old server: stop before it takes the machine
            time.sleep(0.02)

    def upload():
        status, sent = 0, 0
        try:
            s = connect(port, timeout=20)
            s.sendall((f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {size}\r\n\r\n").encode())
            s.setblocking(False)
            resp = b""
            deadline = time.monotonic() + 60
            while sent < size and not stop.is_set() and time.monotonic() < deadline:
                try:
                    got = s.recv(4096)
                    if not got:
                        break
                    resp += got
                    break  # answered before the body was sent
                except BlockingIOError:
                    pass
                try:
                    sent += s.send(chunk[: min(len(chunk), size - sent)])
                except BlockingIOError:
                    time.sleep(0.005)
                except OSError:
                    break
            s.settimeout(10)
            try:
                while b"\r\n" not in resp:
                    got = s.recv(4096)
                    if not got:
                        break
                    resp += got
            except OSError:
                pass
            if resp.startswith(b"HTTP/"):
                status = int(resp.split(b" ")[1])
            s.close()
        except OSError:
            pass
        with lock:
            statuses.append(status)
            sent_total[0] += sent

    smp = threading.Thread(target=sampler)
    smp.start()
    t0 = time.monotonic()
    ts = [threading.Thread(target=upload) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.monotonic() - t0
    time.sleep(0.3)
    stop.set()
    smp.join()
    print(f"base_kb={base}")
    print(f"peak_kb={peak[0]}")
    print(f"elapsed={elapsed:.2f}")
    print(f"sent_mib={sent_total[0] // (1024 * 1024)}")
    print("statuses=" + ",".join(str(x) for x in sorted(statuses)))


def cmd_idle(port, n, src):
    port, n = int(port), int(n)
    socks = []
    for _ in range(n):
        try:
            s = connect(port, src, timeout=2)
            s.sendall(b"G")  # a request begun, never finished
            socks.append(s)
        except OSError:
            pass
    time.sleep(1.0)
    t, status = timed_get(port, "/healthz", "127.0.0.2", timeout=5)
    open_ = 0
    for s in socks:
        s.setblocking(False)
        try:
            open_ += 0 if s.recv(1) == b"" else 1
        except BlockingIOError:
            open_ += 1
        except OSError:
            pass
    for s in socks:
        s.close()
    print(f"opened={len(socks)}")
    print(f"still_open={open_}")
    print(f"second_status={status}")
    print(f"second_seconds={t:.3f}")


def cmd_streams(port, pid, n, token):
    port, pid, n = int(port), int(pid), int(n)
    socks = []
    req = (f"GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
           f"Authorization: Bearer {token}\r\n\r\n").encode()
    for i in range(n):
        src = f"127.0.1.{1 + i // 50}"
        try:
            s = connect(port, src, timeout=10)
            s.sendall(req)
            socks.append(s)
        except OSError:
            pass
    ok = 0
    deadline = time.monotonic() + 60
    for s in socks:
        data = b""
        s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            while b": connected" not in data:
                got = s.recv(4096)
                if not got:
                    break
                data += got
        except OSError:
            pass
        ok += data.startswith(b"HTTP/1.1 200") and b": connected" in data
    threads = status_field(pid, "Threads")
    worst = 0.0
    statuses = []
    for path, hdr in (("/healthz", ""), ("/api/v1/me", f"Authorization: Bearer {token}\r\n"),
                      ("/api/v1/contacts", f"Authorization: Bearer {token}\r\n")):
        t, st = timed_get(port, path, "127.0.0.2", hdr, timeout=5)
        worst = max(worst, t)
        statuses.append(st)
    print(f"opened={len(socks)}")
    print(f"streaming={ok}")
    print(f"threads={threads}")
    print(f"rss_kb={rss_kb(pid)}")
    print(f"other_worst_seconds={worst:.3f}")
    print("other_statuses=" + ",".join(str(x) for x in statuses))
    for s in socks:
        s.close()


def cmd_loris(port, src, seconds):
    port, seconds = int(port), int(seconds)
    s = connect(port, src, timeout=6)
    head = b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 1000
    t0 = time.monotonic()
    cut = -1.0
    i = 0
    while time.monotonic() - t0 < seconds:
        try:
            s.sendall(head[i % len(head):i % len(head) + 1])
            i += 1
            s.settimeout(5)
            got = s.recv(1)  # the server says nothing until the headers end
            if got == b"":
                cut = time.monotonic() - t0
                break
        except socket.timeout:
            continue
        except OSError:
            cut = time.monotonic() - t0
            break
    s.close()
    print(f"cut_after={cut:.1f}")


if __name__ == "__main__":
    {"uploads": cmd_uploads, "idle": cmd_idle, "streams": cmd_streams,
     "loris": cmd_loris}[sys.argv[1]](*sys.argv[2:])
