"""Serving the app with uvicorn, bounded: how long a client may hold a connection, how much of
a request it may send before its headers end, and how many connections there may be.

    serve(create_app(), "127.0.0.1", 8000)

- KEEP_ALIVE_SECONDS (5): an idle connection between requests is closed after this.
- HEADER_SECONDS (10): a connection that has not sent a whole request head within this long of
  opening, or of its last response, is closed; uvicorn's keep-alive timer alone restarts at
  every byte, so a client trickling a header a byte at a time would hold it for ever.
- MAX_HEAD_BYTES (16 KiB): h11's limit on an incomplete request head; more is a 400.
- MAX_CONNECTIONS (100): uvicorn's limit_concurrency, open connections or requests at once; the
  next gets a 503 until one ends.
- BACKLOG (256) connections waiting to be accepted; GRACEFUL_SECONDS (5) to finish on Ctrl-C.
"""

from __future__ import annotations

import asyncio

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

KEEP_ALIVE_SECONDS = 5
HEADER_SECONDS = 10.0
MAX_HEAD_BYTES = 16 * 1024
MAX_CONNECTIONS = 100
BACKLOG = 256
GRACEFUL_SECONDS = 5


class BoundedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request head (HEADER_SECONDS)."""

    header_seconds = HEADER_SECONDS
    header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._head_arrived()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE:
            self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._head_arrived()
        self.header_deadline = self.loop.call_later(self.header_seconds, self._head_too_slow)

    def _head_arrived(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _head_too_slow(self) -> None:
        self.header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    """uvicorn's settings for `app` on host:port, with the limits above."""
    return uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False, http=BoundedH11,
                          timeout_keep_alive=KEEP_ALIVE_SECONDS, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
                          limit_concurrency=MAX_CONNECTIONS, backlog=BACKLOG,
                          timeout_graceful_shutdown=GRACEFUL_SECONDS)


def serve(app: FastAPI, host: str, port: int) -> None:
    """Run `app` on host:port until Ctrl-C, with the limits above."""
    uvicorn.Server(config(app, host, port)).run()
