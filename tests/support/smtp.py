"""A real SMTP server on loopback that keeps what it receives."""

import asyncio
import email
import email.policy
import threading

from aiosmtpd.controller import Controller

from tests.support.ports import free_port


class _Keeper:
    def __init__(self, listener):
        self.listener = listener

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        # The bytes as they came over the wire, for a test that parses them its own way.
        message.wire_bytes = envelope.content
        with self.listener.lock:
            self.listener.messages.append(message)
            stall, self.listener.stall_seconds = self.listener.stall_seconds, 0
        if stall:
            # Kept, but not yet answered: the sender cannot know it went.
            await asyncio.sleep(stall)
        return "250 Message accepted"


class SMTPListener:
    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.lock = threading.Lock()
        self.stall_seconds = 0
        self._controller = Controller(_Keeper(self), hostname="127.0.0.1", port=self.port)

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()

    def stall_next(self, seconds):
        """Keep the next message, then wait this long before saying it was accepted."""
        with self.lock:
            self.stall_seconds = seconds

    def clear(self):
        with self.lock:
            self.messages.clear()
            self.stall_seconds = 0
