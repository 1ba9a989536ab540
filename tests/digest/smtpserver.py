"""A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, in a thread of the test process.
Tests and bench/digest_delivery.py read back what it accepted."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Callable
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session


class SmtpServer:
    """``refuse`` maps an address to the RCPT answer it gets (``"550 5.1.1 No such user"``);
    ``before_accept(n)`` runs before the n-th message (from 1) is accepted and may return an
    answer other than 250 (the kill test stops the worker there)."""

    def __init__(self) -> None:
        self.accepted: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}
        self.before_accept: Callable[[int], str | None] | None = None
        self.connections = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self._lock:
            number = len(self.accepted) + 1
        if self.before_accept is not None:
            answer = self.before_accept(number)
            if answer:
                return answer
        with self._lock:
            self.accepted.append(bytes(envelope.original_content or b""))
            self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def _factory(self) -> SMTP:
        self.connections += 1
        return SMTP(self, hostname="hodie-test", data_size_limit=10_000_000)

    def start(self) -> SmtpServer:
        # The loop runs in its own thread from the start: the calling thread may have a loop
        # running already (Playwright's).
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._loop.create_server(self._factory, "127.0.0.1", 0), self._loop)
        self._server = future.result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def close() -> None:
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            raw = list(self.accepted)
        return [email.message_from_bytes(data, policy=email.policy.default) for data in raw]  # type: ignore[misc]


def main() -> None:
    """Serve in a process of its own (the benchmark's server, off the sender's interpreter): print
    the port as one JSON line, serve until a line arrives on standard input, print the counts."""
    import json
    import sys

    server = SmtpServer().start()
    print(json.dumps({"port": server.port}), flush=True)
    sys.stdin.readline()
    recipients = {address for _, rcpt in server.envelopes for address in rcpt}
    server.stop()
    counts = {"accepted": len(server.accepted), "recipients": len(recipients), "connections": server.connections}
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
