"""Load benchmark: `lacs serve` as in production (a separate process, uvicorn, log level warning)
and a load generator on 127.0.0.1 (asyncio, keep-alive connections), at most 20 s a route.

    python benchmarks/serve.py [--seconds 10] [--connections 16]

Prints requests per second and p50/p99 latency for each route.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUTES = ["/api/v1/councils/manchester", "/api/v1/snapshot", "/"]
LACS = str(Path(sys.executable).with_name("lacs"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def one_connection(port: int, path: str, until: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    while time.perf_counter() < until:
        start = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.split(b"\r\n")[0].decode())
        latencies.append(time.perf_counter() - start)
    writer.close()


async def load(port: int, path: str, seconds: float, connections: int) -> list[float]:
    latencies: list[float] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(one_connection(port, path, until, latencies) for _ in range(connections)))
    return latencies


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
        for path in ROUTES:
            latencies = asyncio.run(load(port, path, min(args.seconds, 20), args.connections))
            latencies.sort()
            rate = len(latencies) / min(args.seconds, 20)
            p50 = statistics.median(latencies) * 1000
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            print(f"{path:32} {rate:8.0f} requests/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
