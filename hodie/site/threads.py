"""Django's WSGI handler run on a small pool of threads, behind the ASGI layers of hodie/site/asgi.py.

Why not Django's own ASGI handler: Hodie's middleware is synchronous (Django's and whitenoise's
MiddlewareMixin classes, our own), so under ``ASGIHandler`` each request crossed between the event
loop and a thread three times (the stack, the async-capable axes middleware at its end, the view),
and every request in flight got a thread of its own: with 50 readers waiting, 50 threads took turns
at the GIL. Measured on the demo's day pages with nothing cached (`hodie serve`, 2 workers, wrk
with 50 connections): 111 pages a second, against about 200 from the same code under granian's WSGI
with one thread. Here a request costs one crossing each way, and at most ``THREADS`` run at once in
a worker; the others wait on the loop, where waiting costs a socket. The answer is sent from the
loop too, so a reader slow to take it never holds a thread (a streamed file goes a piece at a time,
each piece read on a thread).

Why not asgiref's ``WsgiToAsgi``: it crosses back to the loop for every message it sends, and it never
calls the response's ``close()``, which is where Django sends ``request_finished`` (database
connections are handed back there).

More than one thread, because a request that writes may wait for SQLite's write lock (up to
``HODIE_SQLITE_REQUEST_BUSY_MS``), and the readers behind it must not wait with it.
"""

from __future__ import annotations

import asyncio
import io
import queue
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

THREADS = 4


def environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ of an ASGI HTTP scope (PEP 3333's latin-1 strings)."""
    script_name = scope.get("root_path", "").encode("utf-8").decode("latin-1")
    path = scope["path"].encode("utf-8").decode("latin-1")
    if script_name and path.startswith(script_name):
        path = path[len(script_name) :]
    server = scope.get("server") or ("localhost", 80)
    result: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] if server[1] is not None else 80),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if scope.get("client"):
        result["REMOTE_ADDR"] = str(scope["client"][0])
        result["REMOTE_PORT"] = str(scope["client"][1])
    for raw_name, raw_value in scope.get("headers") or ():
        if b"_" in raw_name:
            # X_Forwarded_Proto would pass for X-Forwarded-Proto once both are HTTP_X_FORWARDED_PROTO:
            # dropped, as Django's runserver and gunicorn drop them.
            continue
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        key = name if name in ("CONTENT_LENGTH", "CONTENT_TYPE") else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        result[key] = f"{result[key]},{value}" if key in result else value
    # The body is already whole (BufferedBody): its length, also when it came chunked or over HTTP/2
    # without a Content-Length.
    result["CONTENT_LENGTH"] = str(len(body))
    return result


class Pool:
    """``size`` daemon threads running calls handed over from the event loop.

    Written here rather than taken from ``concurrent.futures.ThreadPoolExecutor``, whose threads the
    interpreter joins on exit: when granian stopped a worker whose loop still had requests in
    flight, a thread still busy for that (stopped) loop was joined for ever, and the worker never
    exited. These threads are daemons, started in the process that uses them (after granian's
    fork)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.jobs: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...], asyncio.Future[Any]]] = (
            queue.SimpleQueue()
        )
        self.started = False
        self.lock = threading.Lock()

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        if not self.started:
            with self.lock:
                if not self.started:
                    for number in range(self.size):
                        threading.Thread(target=self._work, name=f"django_{number}", daemon=True).start()
                    self.started = True
        future = asyncio.get_running_loop().create_future()
        self.jobs.put((function, args, future))
        return await future

    def _work(self) -> None:
        while True:
            function, args, future = self.jobs.get()
            try:
                outcome: tuple[BaseException | None, Any] = (None, function(*args))
            except BaseException as err:  # handed to the awaiting request, as an executor would
                outcome = (err, None)
            try:
                future.get_loop().call_soon_threadsafe(_settle, future, *outcome)
            except RuntimeError:  # the loop is closed: the worker is stopping, nobody waits
                pass


def _settle(future: asyncio.Future[Any], error: BaseException | None, result: Any) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class DjangoOnThreads:
    """An ASGI application running a WSGI one (Django's) on ``threads`` threads of its own. It
    expects the whole body in the first ``http.request`` message, as BufferedBody sends it."""

    def __init__(self, wsgi: WSGIApp, threads: int = THREADS) -> None:
        self.wsgi = wsgi
        self.pool = Pool(threads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Hodie serves HTTP only, not {scope['type']!r}")
        message = await receive()
        body = message.get("body", b"") if message["type"] == "http.request" else b""
        # The answer is sent from the loop, never from a pool thread: a reader slow to take it
        # holds a socket, not one of the few threads (the slow-body defence, on the way out).
        start, first, streamed = await self.pool.run(self._respond, scope, body)
        if streamed is None:
            await send(start)
            await send({"type": "http.response.body", "body": first})
            return
        pieces, response = streamed
        try:
            await send(start)
            piece = first
            while piece is not None:  # a file (whitenoise, media) or a streamed answer, a piece at a time
                await send({"type": "http.response.body", "body": piece, "more_body": True})
                piece = await self.pool.run(next, pieces, None)
            await send({"type": "http.response.body", "body": b""})
        finally:
            await self.pool.run(_close, response)

    def _respond(self, scope: Scope, body: bytes) -> tuple[Message, bytes | None, tuple[Iterator[bytes], Any] | None]:
        """In a pool thread: (the start message, the whole body, None), or for a streamed answer
        (the start message, its first piece, (the rest, the response to close))."""
        started: list[Message] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            started[:] = [
                {
                    "type": "http.response.start",
                    "status": int(status.split(" ", 1)[0]),
                    "headers": [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers],
                }
            ]

        response = self.wsgi(environ(scope, body), start_response)
        if not getattr(response, "streaming", False):
            try:
                whole = b"".join(response)
            finally:
                _close(response)  # in the thread that ran the view: its connection is the one handed back
            return started[0], whole, None
        try:
            pieces = iter(response)
            return started[0], next(pieces, None), (pieces, response)
        except BaseException:
            _close(response)
            raise


def _close(response: Any) -> None:
    close = getattr(response, "close", None)
    if close is not None:
        close()  # Django's request_finished: connections handed back, files closed
