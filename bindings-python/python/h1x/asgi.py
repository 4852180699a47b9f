"""h1x.asgi: interim (1xx) responses from ASGI apps, and opt-in ``102 Processing`` heartbeats.

Server-independent: any ASGI server that advertises the extensions in ``scope["extensions"]``
(``h1x.uvicorn.H1xProtocol`` does, for HTTP/1.1 requests) sends these messages as interim
responses; elsewhere the helpers do nothing. Nothing here imports uvicorn.

* ``EARLY_HINT`` (asgiref's ``http.response.early_hint``):
  ``{"type": "http.response.early_hint", "links": [b"</a.css>; rel=preload; as=style"]}``
  becomes ``103 Early Hints`` with one ``Link`` field per item.
* ``INFORMATIONAL`` (h1x's ``http.response.informational``):
  ``{"type": "http.response.informational", "status": 102, "headers": [(b"progress", b"1/3")]}``
  becomes that interim response (any 1xx but 101), with its fields.

For frameworks whose endpoints do not see ``send`` (Starlette, FastAPI), the ``Interim``
middleware puts an ``InterimSender`` in ``scope["h1x.interim"]``:
``await request.scope["h1x.interim"].early_hint([...])``, ``.informational(102, [...])``,
``async with request.scope["h1x.interim"].heartbeat(1.0) as beat: ...``.

``heartbeat(scope, send, interval)`` sends a ``102 Processing`` every ``interval`` seconds while
the app works, until it sends ``http.response.start`` or leaves the block, with an optional
progress field the app updates. ``Heartbeat(app, interval)`` does it for every request of an app
(the app finds the running heartbeat in ``scope["h1x.heartbeat"]``). Neither sends anything
unless the server advertises ``http.response.informational`` for the request (never to HTTP/1.0
clients) and never after the response started: Python's ``http.client``, ``urllib3`` and
``requests`` mistake a 102 for the final response, so heartbeats are for clients that expect them.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, MutableMapping, Optional, Union

__all__ = [
    "EARLY_HINT",
    "INFORMATIONAL",
    "supports",
    "heartbeat",
    "Heartbeat",
    "Interim",
    "InterimSender",
]

EARLY_HINT = "http.response.early_hint"
INFORMATIONAL = "http.response.informational"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
Receive = Callable[[], Awaitable[Message]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def supports(scope: Scope, extension: str = INFORMATIONAL) -> bool:
    """Whether the server advertises ``extension`` for this request."""
    return extension in (scope.get("extensions") or {})


def _bytes(value: Union[str, bytes]) -> bytes:
    return value.encode("latin-1") if isinstance(value, str) else bytes(value)


class heartbeat:
    """``async with heartbeat(scope, send, interval=1.0, header=b"progress") as beat: ...``

    While the block runs, a ``102 Processing`` goes out every ``interval`` seconds (the first
    after one interval), carrying ``header: beat.progress`` when ``progress`` is set (e.g.
    ``beat.progress = "3/10"``). Send the response with ``beat.send`` (or leave the block first):
    ``http.response.start`` through it stops the heartbeats before the head is sent. Does nothing
    when the server does not advertise ``http.response.informational`` for the request.
    """

    def __init__(
        self,
        scope: Scope,
        send: Send,
        interval: float = 1.0,
        *,
        header: Union[str, bytes] = b"progress",
        progress: Union[str, bytes, None] = None,
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.scope = scope
        self._send = send
        self.interval = interval
        self.header = _bytes(header).lower()
        self.progress: Union[str, bytes, None] = progress
        self.sent = 0
        self.enabled = scope.get("type") == "http" and supports(scope)
        self._task: Optional[asyncio.Task] = None
        self._stopped = False
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> "heartbeat":
        self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    def start(self) -> None:
        """Starts the heartbeats (``async with`` does it)."""
        if self.enabled and self._task is None and not self._stopped:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stops the heartbeats; a 102 being written finishes first. Idempotent."""
        self._stopped = True
        task, self._task = self._task, None
        if task is not None:
            async with self._lock:
                task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            async with self._lock:
                if self._stopped:
                    return
                headers = []
                if self.progress is not None:
                    headers.append((self.header, _bytes(self.progress)))
                try:
                    await self._send({"type": INFORMATIONAL, "status": 102, "headers": headers})
                except Exception:
                    # the connection went away or the response started: no more heartbeats
                    self._stopped = True
                    return
                self.sent += 1

    async def send(self, message: Message) -> None:
        """The app's ``send``: ``http.response.start`` stops the heartbeats first."""
        if message["type"] == "http.response.start" and not self._stopped:
            await self.stop()
        await self._send(message)


class Heartbeat:
    """ASGI middleware: ``app = Heartbeat(app, interval=1.0)`` sends ``102 Processing`` every
    ``interval`` seconds on every HTTP request until the app starts its response (where the
    server advertises ``http.response.informational``). The running :class:`heartbeat` is in
    ``scope["h1x.heartbeat"]`` for the app to set ``progress`` on. ``paths`` limits it to
    requests whose path starts with one of them.
    """

    def __init__(
        self,
        app: App,
        interval: float = 1.0,
        *,
        header: Union[str, bytes] = b"progress",
        paths: Optional[tuple] = None,
    ) -> None:
        self.app = app
        self.interval = interval
        self.header = header
        self.paths = tuple(paths) if paths is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not supports(scope) or (
            self.paths is not None and not scope["path"].startswith(self.paths)
        ):
            await self.app(scope, receive, send)
            return
        async with heartbeat(scope, send, self.interval, header=self.header) as beat:
            scope["h1x.heartbeat"] = beat
            await self.app(scope, receive, beat.send)


class InterimSender:
    """Interim responses for one request, for code that has the scope but not ``send`` (a
    Starlette or FastAPI endpoint: ``request.scope["h1x.interim"]``, put there by
    :class:`Interim`). Every method does nothing where the server does not advertise the
    extension for the request (HTTP/1.0 clients, other servers) or once the response started.
    """

    def __init__(self, scope: Scope, send: Send) -> None:
        self.scope = scope
        self._send = send
        self.started = False
        self._beats: list = []

    @property
    def supported(self) -> bool:
        """Whether interim responses can be sent for this request."""
        return supports(self.scope) and not self.started

    async def early_hint(self, links: Any) -> None:
        """``103 Early Hints`` with one ``Link`` field per item (``bytes`` or ``str``)."""
        if supports(self.scope, EARLY_HINT) and not self.started:
            await self._send({"type": EARLY_HINT, "links": [_bytes(link) for link in links]})

    async def informational(self, status: int, headers: Any = ()) -> None:
        """Any interim response but 101, with its fields (pairs of ``bytes`` or ``str``)."""
        if self.supported:
            fields = [(_bytes(n), _bytes(v)) for n, v in headers]
            await self._send({"type": INFORMATIONAL, "status": status, "headers": fields})

    def heartbeat(
        self,
        interval: float = 1.0,
        *,
        header: Union[str, bytes] = b"progress",
        progress: Union[str, bytes, None] = None,
    ) -> heartbeat:
        """A :class:`heartbeat` for this request (``async with ... as beat``); the response's
        start stops it, whichever way it is sent."""
        beat = heartbeat(self.scope, self._send, interval, header=header, progress=progress)
        if self.started:
            beat.enabled = False
        self._beats.append(beat)
        return beat

    async def send(self, message: Message) -> None:
        """The app's ``send``: ``http.response.start`` stops every heartbeat first."""
        if message["type"] == "http.response.start":
            self.started = True
            await self.close()
        await self._send(message)

    async def close(self) -> None:
        """Stops every heartbeat of this request."""
        beats, self._beats = self._beats, []
        for beat in beats:
            await beat.stop()


class Interim:
    """ASGI middleware for frameworks: ``app.add_middleware(Interim)`` (Starlette, FastAPI) or
    ``app = Interim(app)``. Each HTTP request's scope gets ``"h1x.interim"``, an
    :class:`InterimSender` for the endpoint to send early hints, informational responses and
    heartbeats through.
    """

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sender = InterimSender(scope, send)
        scope["h1x.interim"] = sender
        try:
            await self.app(scope, receive, sender.send)
        finally:
            await sender.close()
