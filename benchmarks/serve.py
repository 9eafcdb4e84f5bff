"""Load benchmark: `lacs serve` as in production (a separate process, uvicorn, log level warning)
and a load generator on 127.0.0.1 (asyncio, keep-alive connections), at most 20 s a route.

    python benchmarks/serve.py [--seconds 10] [--connections 16]

Prints requests per second and p50/p99 latency for each route (`/` twice: as a client that asks
for nothing, and as a browser does, with Accept-Encoding: gzip); then two runs with a fresh
query string on every request, with the server's resident memory (RSS) before and after:

- `/api/v1/inspections?u=N` (16 connections): a parameter no route reads, so one cached
  response however many N: memory stays flat.
- `/?as_at=DAY`, a new day every request, today and back (one connection, so the figure is the
  page's own time, not time queueing behind other requests): never cached before, so each is
  the page worked out afresh; memory grows only until the cache's byte cap (web/app.py), then
  stays flat: the RSS after each half of the run is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from datetime import date, timedelta
from pathlib import Path

ROUTES = [("/api/v1/councils/manchester", ""), ("/api/v1/snapshot", ""), ("/", ""), ("/", "gzip")]
LACS = str(Path(sys.executable).with_name("lacs"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def one_connection(port: int, path: str | Callable[[], str], until: float, latencies: list[float],
                         encoding: str = "") -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    asks = f"Accept-Encoding: {encoding}\r\n" if encoding else ""
    while time.perf_counter() < until:
        start = time.perf_counter()
        target = path if isinstance(path, str) else path()
        writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{asks}\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.split(b"\r\n")[0].decode())
        latencies.append(time.perf_counter() - start)
    writer.close()


async def load(port: int, path: str | Callable[[], str], seconds: float, connections: int,
               encoding: str = "") -> list[float]:
    latencies: list[float] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(one_connection(port, path, until, latencies, encoding) for _ in range(connections)))
    return latencies


def report(path: str, latencies: list[float], seconds: float) -> None:
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000
    print(f"{path:32} {len(latencies) / seconds:8.0f} requests/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")


def fresh(pid: int, name: str, run: Callable[[], Coroutine[None, None, list[float]]], seconds: float) -> None:
    """A run in two halves, the server's RSS before, between and after."""
    before = rss(pid)
    first = asyncio.run(run())
    middle = rss(pid)
    second = asyncio.run(run())
    report(name, first + second, seconds)
    print(f"{'':32} RSS {before:.0f} MB before, {middle:.0f} MB half way, {rss(pid):.0f} MB after")


def rss(pid: int) -> float:
    """The process's resident memory in MB (Linux's /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([LACS, "serve", "--port", str(port)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        seconds = min(args.seconds, 20)
        for path, encoding in ROUTES:
            name = f"{path} ({encoding})" if encoding else path
            report(name, asyncio.run(load(port, path, seconds, args.connections, encoding)), seconds)
        numbers = itertools.count()
        fresh(server.pid, "/api/v1/inspections?u=N", lambda: load(
            port, lambda: f"/api/v1/inspections?u={next(numbers)}", seconds / 2, args.connections), seconds)
        days = (date.today() - timedelta(days=n) for n in itertools.count())
        fresh(server.pid, "/?as_at=DAY (uncached)", lambda: load(
            port, lambda: f"/?as_at={next(days)}", seconds / 2, 1), seconds)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
