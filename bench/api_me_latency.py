#!/usr/bin/env python3
"""Latency of `GET /api/v1/me` with a bearer token, over N sequential keep-alive requests.

Starts `districtops demo` from the given binary on a free port with a fresh data folder,
takes a token as the demo user `staff`, then times N requests from this process. Prints the
distribution and, as a baseline measured in the same run, `GET /healthz` (no auth, no
database) so the figure can be read as a ratio on any machine.

    python3 bench/api_me_latency.py [--binary target/release/districtops] [--requests 1000]
"""
import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

PASSWORD = "Bench#2026pass"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def timed(conn, path, headers, n):
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, response.status
    return samples


def describe(name, samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    print(f"{name:<22} n={len(samples):<5} mean={statistics.mean(samples):.3f} ms  "
          f"p50={pick(0.50):.3f}  p95={pick(0.95):.3f}  p99={pick(0.99):.3f}  max={samples[-1]:.3f}")
    return statistics.mean(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/districtops")
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: build it first (cargo build --release)")
    port = free_port()
    data = tempfile.mkdtemp(prefix="districtops-bench-")
    env = dict(os.environ, DISTRICTOPS_DEMO_PASSWORD=PASSWORD, RUST_LOG="warn")
    started = time.perf_counter()
    server = subprocess.Popen([args.binary, "demo", "--listen", f"127.0.0.1:{port}", "--data-dir", data],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in server.stdout:
            if f"127.0.0.1:{port}" in line:
                break
        ready_ms = (time.perf_counter() - started) * 1000
        time.sleep(0.5)
        print(f"demo start-up (spawn to serving, incl. seeding the demo district): {ready_ms:.0f} ms")
        print(f"RSS after start: {rss_kib(server.pid) / 1024:.1f} MiB")

        conn = http.client.HTTPConnection("127.0.0.1", port)
        body = json.dumps({"username": "staff", "password": PASSWORD})
        conn.request("POST", "/api/v1/auth/login", body=body, headers={"content-type": "application/json"})
        response = conn.getresponse()
        token = json.loads(response.read())["token"]
        auth = {"authorization": f"Bearer {token}"}

        timed(conn, "/api/v1/me", auth, 50)  # warm-up
        healthz = describe("GET /healthz", timed(conn, "/healthz", {}, args.requests))
        me = describe("GET /api/v1/me", timed(conn, "/api/v1/me", auth, args.requests))
        print(f"ratio me / healthz: {me / healthz:.1f}x")
        print(f"RSS after the run: {rss_kib(server.pid) / 1024:.1f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
