#!/usr/bin/env python3
"""Slow and many clients against a running `hps dashboard` (issue 25): prints how long a plain request
takes alone, beside N half-open connections (a request line without the blank line that ends the head),
and with N concurrent requests for the settings table.

    ./hps dashboard --study runs/big --port 8050 &
    python3 examples/attacks/dashboard-load.py --port 8050 --half-open 40 --concurrent 200
"""
import argparse
import socket
import threading
import time
import urllib.request


def get(port, path, timeout):
    start = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as answer:
        answer.read()
    return time.monotonic() - start


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--half-open", type=int, default=40, metavar="N")
    p.add_argument("--concurrent", type=int, default=200, metavar="N")
    p.add_argument("--timeout", type=float, default=60, metavar="SECONDS", help="per request (default 60)")
    a = p.parse_args()
    print(f"alone: {get(a.port, '/api/summary', a.timeout):.3f} s")

    held = []
    for _ in range(a.half_open):
        s = socket.create_connection(("127.0.0.1", a.port))
        s.sendall(b"GET /api/summary HTTP/1.1\r\nHost: localhost\r\n")
        held.append(s)
    time.sleep(0.5)
    try:
        print(f"beside {a.half_open} half-open connections: {get(a.port, '/api/summary', a.timeout):.3f} s")
    except OSError as e:
        print(f"beside {a.half_open} half-open connections: no answer ({e})")
    for s in held:
        s.close()

    times, errors = [], []

    def one():
        try:
            times.append(get(a.port, "/api/settings", a.timeout))
        except OSError as e:
            errors.append(str(e)[:80])

    threads = [threading.Thread(target=one) for _ in range(a.concurrent)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    median = times[len(times) // 2] if times else float("nan")
    print(f"{a.concurrent} concurrent requests for the settings table: {time.monotonic() - start:.2f} s in all, "
          f"{len(times)} answered (median {median:.3f} s, max {times[-1] if times else float('nan'):.3f} s), "
          f"{len(errors)} errors {sorted(set(errors))[:3]}")


if __name__ == "__main__":
    main()
