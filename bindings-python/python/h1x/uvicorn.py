"""h1x.uvicorn: a uvicorn HTTP protocol on h1x, with interim (1xx) responses from ASGI apps.

Select it the ways uvicorn allows::

    uvicorn app:app --http h1x.uvicorn:H1xProtocol
    uvicorn.run(app, http="h1x.uvicorn:H1xProtocol")      # or http=H1xProtocol
    gunicorn app:app -k h1x.uvicorn.H1xWorker   # gunicorn takes a dotted path

The structure follows uvicorn 0.54's own protocols (``uvicorn/protocols/http/h11_impl.py`` and
``httptools_impl.py``, BSD-3-Clause, by Tom Christie and the Encode/uvicorn contributors):
``H1xProtocol`` is the ``asyncio.Protocol`` and ``RequestResponseCycle`` runs one ASGI request.
The difference is where the protocol work happens: ``h1x._h1x.AsgiConnection`` (Rust) decodes a
request head straight into an ASGI scope and encodes a response head from the app's header list;
the h1x core decides framing, keep-alive, ``100-continue``, the interim-response rules and every
error. Nothing here reads ``Content-Length``, ``Transfer-Encoding`` or ``Expect``.

A response head is held until the first body piece so that both leave in one socket write; it
is written on its own as soon as the app yields to the event loop, or reads the request body.

Beyond uvicorn's protocols, apps may send interim responses before ``http.response.start``
(HTTP/1.1 clients only; advertised in ``scope["extensions"]``):

* ``{"type": "http.response.early_hint", "links": [b"</a.css>; rel=preload; as=style"]}``
  (asgiref's extension): a ``103 Early Hints`` with one ``Link`` field per item;
* ``{"type": "http.response.informational", "status": 102, "headers": [(b"progress", b"1/3")]}``
  (h1x's extension): any 1xx but 101, with its header fields.

``import h1x`` never imports this module (nor uvicorn); ``h1x.asgi`` has the 102 heartbeat helper.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sys
import types
from time import monotonic as _monotonic
from typing import TYPE_CHECKING, Any, Callable, Optional

from uvicorn.config import Config
from uvicorn.logging import TRACE_LOG_LEVEL
from uvicorn.protocols.http.flow_control import (
    HIGH_WATER_LIMIT,
    FlowControl,
    service_unavailable,
)
from uvicorn.protocols.utils import (
    get_client_addr,
    get_local_addr,
    get_path_with_query_string,
    get_remote_addr,
    is_ssl,
)
from uvicorn.server import ServerState

from . import RemoteProtocolError
from ._h1x import AsgiConnection, error_response
from .asgi import EARLY_HINT, INFORMATIONAL

if TYPE_CHECKING:  # pragma: no cover
    from uvicorn._types import ASGI3Application, ASGIReceiveEvent, ASGISendEvent

__all__ = ["H1xProtocol", "RequestResponseCycle", "H1xWorker"]

# what AsgiConnection.next_event returns besides a request tuple, bytes and None
_END = 1
_PAUSED = 2

# request flags (the core's decisions about the head)
_ENDED = 1
_EXPECT_CONTINUE = 2
_KEEP_ALIVE = 4
_EXPECT_UNKNOWN = 8
_TRANSFER_CODED = 16
_MORE = 32

_DEFAULT_MAX_HEAD = 16 * 1024
_Coroutine = types.CoroutineType
_INVALID = "Invalid HTTP request received."


def _refusal(status: int, text: bytes) -> Callable[..., Any]:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", b"%d" % len(text)),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": text})

    return app


_expectation_failed = _refusal(417, b"Expectation Failed")
_not_implemented = _refusal(501, b"Transfer coding not supported")


class H1xProtocol(asyncio.Protocol):
    """uvicorn's HTTP protocol contract (``--http h1x.uvicorn:H1xProtocol``) on h1x.

    The head-size limit is uvicorn's ``h11_max_incomplete_event_size`` (16 KiB by default).
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: Optional[asyncio.AbstractEventLoop] = None,
    ) -> None:
        if not config.loaded:
            config.load()

        self.config = config
        self.app = config.loaded_app
        self.loop = _loop or asyncio.get_event_loop()
        self.logger = logging.getLogger("uvicorn.error")
        self.access_logger = logging.getLogger("uvicorn.access")
        self.access_log = self.access_logger.hasHandlers()
        self.ws_protocol_class = config.ws_protocol_class
        self.root_path = config.root_path
        self.asgi_version = config.asgi_version
        self.limit_concurrency = config.limit_concurrency
        self.app_state = app_state
        max_head = config.h11_max_incomplete_event_size
        self.max_incomplete_event_size = _DEFAULT_MAX_HEAD if max_head is None else max_head

        # Timeouts
        # `timeout_keep_alive_task` is the timer of the current idle period (None while a
        # request is in progress), as in uvicorn's protocols. The timer itself
        # (`_keepalive_timer`) is not cancelled when a request arrives: when it fires it checks
        # whether the connection is idle and since when, and closes or waits for the rest. So a
        # busy keep-alive connection arms one timer per `timeout_keep_alive` seconds instead of
        # arming and cancelling one per request.
        self.timeout_keep_alive_task: Optional[asyncio.TimerHandle] = None
        self.timeout_keep_alive = config.timeout_keep_alive
        self._keepalive_timer: Optional[asyncio.TimerHandle] = None
        self._idle_since = 0.0
        self._active_since_armed = False

        # Shared server state
        self.server_state = server_state
        self.connections = server_state.connections
        self.tasks = server_state.tasks

        # Per-connection state
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.flow: FlowControl = None  # type: ignore[assignment]
        self.conn: AsgiConnection = None  # type: ignore[assignment]
        self.server: Optional[tuple] = None
        self.client: Optional[tuple] = None
        self.scheme: Optional[str] = None

        # Per-request state
        self.scope: dict = None  # type: ignore[assignment]
        self.headers: list = None  # type: ignore[assignment]
        self.cycle: RequestResponseCycle = None  # type: ignore[assignment]

    # Protocol interface
    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        self.connections.add(self)

        self.transport = transport
        self.flow = FlowControl(transport)
        self.server = get_local_addr(transport)
        self.client = get_remote_addr(transport)
        self.scheme = "https" if is_ssl(transport) else "http"
        common = {
            "type": "http",
            "asgi": {"version": self.asgi_version, "spec_version": "2.3"},
            "server": self.server,
            "client": self.client,
            "scheme": self.scheme,
            "root_path": self.root_path,
        }
        # interim responses only for HTTP/1.1 clients (RFC 9110 section 15.2)
        template_11 = dict(common, extensions={EARLY_HINT: {}, INFORMATIONAL: {}})
        self.conn = AsgiConnection(
            template_11,
            common,
            self.root_path,
            self.app_state,
            max_incomplete_event_size=self.max_incomplete_event_size,
        )

        if self.logger.level <= TRACE_LOG_LEVEL:
            prefix = "%s:%d - " % self.client if self.client else ""
            self.logger.log(TRACE_LOG_LEVEL, "%sHTTP connection made", prefix)

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self.connections.discard(self)

        if self.logger.level <= TRACE_LOG_LEVEL:
            prefix = "%s:%d - " % self.client if self.client else ""
            self.logger.log(TRACE_LOG_LEVEL, "%sHTTP connection lost", prefix)

        cycle = self.cycle
        if cycle is not None:
            if not cycle.response_complete:
                cycle.disconnected = True
            cycle.wake()
        if self._keepalive_timer is not None:
            self._keepalive_timer.cancel()
            self._keepalive_timer = None
        if self.conn is not None:
            self.conn.close()
        if self.flow is not None:
            self.flow.resume_writing()
        if exc is None:
            self.transport.close()
            self._unset_keepalive_if_required()

    def eof_received(self) -> None:
        pass

    def _unset_keepalive_if_required(self) -> None:
        # the connection is busy: the running timer, if any, sees it when it fires
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task = None
            self._active_since_armed = True

    def _set_keepalive(self) -> None:
        """The connection is idle from now on: close it after `timeout_keep_alive` seconds
        unless a request arrives."""
        self._idle_since = _monotonic()
        timer = self._keepalive_timer
        if timer is None:
            timer = self._keepalive_timer = self.loop.call_later(
                self.timeout_keep_alive, self._keepalive_fired
            )
            self._active_since_armed = False
        self.timeout_keep_alive_task = timer

    def _keepalive_fired(self) -> None:
        self._keepalive_timer = None
        if self.timeout_keep_alive_task is None:
            return  # busy: the next idle period arms a new timer
        if not self._active_since_armed:
            self.timeout_keep_alive_handler()
            return
        # idle again, since a later moment: wait for the rest of the timeout
        rest = self.timeout_keep_alive - (_monotonic() - self._idle_since)
        if rest <= 0:
            self.timeout_keep_alive_handler()
            return
        self._keepalive_timer = self.loop.call_later(rest, self._keepalive_fired)
        self._active_since_armed = False
        self.timeout_keep_alive_task = self._keepalive_timer

    def _unsupported_upgrade_warning(self) -> None:
        self.logger.warning("Unsupported upgrade request.")
        if self.ws_protocol_class is None:
            msg = "No supported WebSocket library detected. Please use \"pip install 'uvicorn[standard]'\", or install 'websockets' or 'wsproto' manually."  # noqa: E501
            self.logger.warning(msg)

    def _should_upgrade(self, upgrade: bytes) -> bool:
        if upgrade == b"websocket" and self.ws_protocol_class is not None:
            return True
        self._unsupported_upgrade_warning()
        return False

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()

        self.conn.feed(data)
        self.handle_events()

    def handle_events(self) -> None:
        conn = self.conn
        while True:
            try:
                event = conn.next_event()
            except RemoteProtocolError as exc:
                self.send_error_response(exc)
                return

            if event is None:
                break

            cls = event.__class__
            if cls is tuple:
                # Pipelined HTTP requests and WebSocket upgrades may be processed after the keep-alive timer is armed.
                self._unset_keepalive_if_required()
                scope, flags, upgrade, body = event
                self.scope = scope
                self.headers = scope["headers"]
                if upgrade is not None and self._should_upgrade(upgrade):
                    self.handle_websocket_upgrade()
                    return

                if flags & (_EXPECT_UNKNOWN | _TRANSFER_CODED):
                    # the core's answers to what the app cannot be given (RFC 9110 10.1.1,
                    # RFC 9112 6.1): an expectation other than 100-continue, a body still
                    # transfer-coded with something besides chunked
                    app = _expectation_failed if flags & _EXPECT_UNKNOWN else _not_implemented
                # Handle 503 responses when 'limit_concurrency' is exceeded.
                elif self.limit_concurrency is not None and (
                    len(self.connections) >= self.limit_concurrency
                    or len(self.tasks) >= self.limit_concurrency
                ):
                    app = service_unavailable
                    message = "Exceeded concurrency limit."
                    self.logger.warning(message)
                else:
                    app = self.app

                cycle = self.cycle = RequestResponseCycle(
                    scope,
                    conn,
                    self.transport,
                    self.flow,
                    self.logger,
                    self.access_logger,
                    self.access_log,
                    self.server_state.default_headers,
                    flags,
                    self.on_response_complete,
                )
                if body is not None:
                    cycle.chunks.append(body)
                    cycle.buffered = len(body)
                    if len(body) > HIGH_WATER_LIMIT:
                        self.flow.pause_reading()
                self._start_asgi_task(cycle, app)
                if not flags & _MORE or (flags & _ENDED and not flags & _KEEP_ALIVE):
                    # nothing more received yet; bytes after a request that closes the
                    # connection are not read
                    break

            elif cls is bytes:
                cycle = self.cycle
                if cycle.response_complete:
                    continue
                cycle.chunks.append(event)
                cycle.buffered += len(event)
                if cycle.buffered > HIGH_WATER_LIMIT:
                    self.flow.pause_reading()
                cycle.wake()

            elif event == _END:
                cycle = self.cycle
                if cycle.response_complete:
                    self.flow.resume_reading()
                    conn.next_cycle()
                    continue
                cycle.more_body = False
                cycle.wake()
                if not conn.keep_alive:
                    break

            elif event == _PAUSED:
                # A pipelined request (or bytes after an upgrade) waits for the end of the
                # current cycle: stop reading until then.
                self.flow.pause_reading()
                break

            else:  # the peer closed cleanly
                break

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        if getattr(self.config, "reset_contextvars", False):  # not in older uvicorn
            # Opt-in workaround for https://github.com/python/cpython/issues/140947 (as uvicorn)
            if sys.version_info >= (3, 11):
                task = self.loop.create_task(
                    cycle.run_asgi(app), context=contextvars.Context()
                )  # type: ignore[call-arg]
            else:
                task = contextvars.Context().run(self.loop.create_task, cycle.run_asgi(app))
        else:
            task = self.loop.create_task(cycle.run_asgi(app))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    def handle_websocket_upgrade(self) -> None:
        if self.logger.level <= TRACE_LOG_LEVEL:
            prefix = "%s:%d - " % self.client if self.client else ""
            self.logger.log(TRACE_LOG_LEVEL, "%sUpgrading to WebSocket", prefix)

        self.connections.discard(self)
        protocol = self.ws_protocol_class(  # type: ignore[call-arg, misc]
            config=self.config,
            server_state=self.server_state,
            app_state=self.app_state,
        )
        protocol.connection_made(self.transport)
        # the request head (names lower-cased, as uvicorn's h11 protocol), then whatever followed
        protocol.data_received(self.conn.upgrade_bytes())
        self.transport.set_protocol(protocol)

    def send_error_response(self, exc: RemoteProtocolError) -> None:
        """Answers a request the core refused with the status it suggests, and closes."""
        self.logger.warning(_INVALID)
        cycle = self.cycle
        busy = cycle is not None and not cycle.response_complete
        if busy:
            cycle.disconnected = True
            cycle.wake()
        if not (busy and cycle.response_started) and not self.transport.is_closing():
            self.transport.write(
                error_response(exc.error_status_hint, self.server_state.default_headers, _INVALID)
            )
        if not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        self.server_state.total_requests += 1

        if self.transport.is_closing():
            return

        # Set a short Keep-Alive timeout.
        self._set_keepalive()

        # Unpause data reads if needed.
        self.flow.resume_reading()

        # Unblock any pipelined events.
        if self.conn.next_cycle():
            self.handle_events()

    def shutdown(self) -> None:
        """
        Called by the server to commence a graceful shutdown.
        """
        if self.cycle is None or self.cycle.response_complete:
            self.conn.close()
            self.transport.close()
        else:
            self.cycle.keep_alive = False

    def pause_writing(self) -> None:
        """
        Called by the transport when the write buffer exceeds the high water mark.
        """
        self.flow.pause_writing()

    def resume_writing(self) -> None:
        """
        Called by the transport when the write buffer drops below the low water mark.
        """
        self.flow.resume_writing()

    def timeout_keep_alive_handler(self) -> None:
        """
        Called on a keep-alive connection if no new data is received after a short
        delay.
        """
        if not self.transport.is_closing():
            self.conn.close()
            self.transport.close()


class _Driven:
    """``await _Driven(coro, cycle)`` runs the app's coroutine as ``await coro`` would, and
    writes a response head still waiting for its body whenever the app yields to the event loop
    (so a head is never held while the app waits for something else)."""

    __slots__ = ("coro", "cycle")

    def __init__(self, awaitable: Any, cycle: "RequestResponseCycle") -> None:
        # a coroutine is driven directly; any other awaitable through its iterator
        self.coro = awaitable if type(awaitable) is _Coroutine else awaitable.__await__()
        self.cycle = cycle

    def __await__(self) -> Any:
        coro = self.coro
        try:
            yielded = coro.send(None)
        except StopIteration as stop:
            return stop.value
        while True:
            if self.cycle.response_started:
                self.cycle.flush()
            try:
                value = yield yielded
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:
                try:
                    yielded = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    yielded = coro.send(value)
                except StopIteration as stop:
                    return stop.value


class RequestResponseCycle:
    """One request and its response: the ASGI ``receive`` and ``send`` callables."""

    __slots__ = (
        "scope", "conn", "transport", "flow", "logger", "access_logger", "access_log",
        "default_headers", "on_response", "disconnected", "keep_alive",
        "waiting_for_100_continue", "chunks", "buffered", "more_body", "body_delivered",
        "waiter", "response_started", "response_complete", "is_head",
    )

    def __init__(
        self,
        scope: dict,
        conn: AsgiConnection,
        transport: asyncio.Transport,
        flow: FlowControl,
        logger: logging.Logger,
        access_logger: logging.Logger,
        access_log: bool,
        default_headers: list,
        flags: int,
        on_response: Callable[..., None],
    ) -> None:
        self.scope = scope
        self.conn = conn
        self.transport = transport
        self.flow = flow
        self.logger = logger
        self.access_logger = access_logger
        self.access_log = access_log
        self.default_headers = default_headers
        self.on_response = on_response

        # Connection state
        self.disconnected = False
        self.keep_alive = True
        self.waiting_for_100_continue = bool(flags & _EXPECT_CONTINUE)

        # Request state: body pieces not handed to the app yet
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.more_body = not flags & _ENDED
        self.body_delivered = False
        self.waiter: Optional[asyncio.Future] = None

        # Response state
        self.response_started = False
        self.response_complete = False
        self.is_head = scope["method"] == "HEAD"

    def wake(self) -> None:
        """Wakes a ``receive()`` waiting for body bytes, the end of the request or a disconnect."""
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def flush(self) -> None:
        """Writes a response head still waiting for its body."""
        pending = self.conn.flush() if self.response_started else None
        if pending is not None and not self.transport.is_closing():
            self.transport.write(pending)

    # ASGI exception wrapper
    async def run_asgi(self, app: ASGI3Application) -> None:
        try:
            result = await _Driven(app(self.scope, self.receive, self.send), self)
        except BaseException as exc:
            msg = "Exception in ASGI application\n"
            self.logger.error(msg, exc_info=exc)
            if not self.response_started:
                await self.send_500_response()
            else:
                self.flush()
                self.transport.close()
        else:
            if result is not None:
                msg = "ASGI callable should return None, but returned '%s'."
                self.logger.error(msg, result)
                self.flush()
                self.transport.close()
            elif not self.response_started and not self.disconnected:
                msg = "ASGI callable returned without starting response."
                self.logger.error(msg)
                await self.send_500_response()
            elif not self.response_complete and not self.disconnected:
                msg = "ASGI callable returned without completing response."
                self.logger.error(msg)
                self.flush()
                self.transport.close()
        finally:
            self.on_response = lambda: None

    async def send_500_response(self) -> None:
        try:
            await self._send_500_response()
        except Exception:
            # the core refused (e.g. the connection failed on an invalid interim response)
            if not self.transport.is_closing():
                self.transport.close()

    async def _send_500_response(self) -> None:
        await self.send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", b"21"),
                    (b"connection", b"close"),
                ],
            }
        )
        await self.send(
            {"type": "http.response.body", "body": b"Internal Server Error", "more_body": False}
        )

    # ASGI interface
    async def send(self, message: ASGISendEvent) -> None:
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()

        if self.disconnected:
            return

        message_type = message["type"]
        if not self.response_started:
            # Sending response status line and headers
            if message_type != "http.response.start":
                if message_type == EARLY_HINT or message_type == INFORMATIONAL:
                    self.send_interim(message)
                    return
                raise RuntimeError(
                    f"Expected ASGI message 'http.response.start', but got '{message_type}'."
                )

            self.response_started = True
            self.waiting_for_100_continue = False

            status = message["status"]
            if self.access_log:
                self.access_logger.info(
                    '%s - "%s %s HTTP/%s" %d',
                    get_client_addr(self.scope),
                    self.scope["method"],
                    get_path_with_query_string(self.scope),
                    self.scope["http_version"],
                    status,
                )

            # The head waits for the first body piece (one write for both), or for the app to
            # yield to the event loop (see _Driven).
            self.conn.start(status, message.get("headers", ()), self.default_headers)

        elif not self.response_complete:
            # Sending response body
            if message_type != "http.response.body":
                if message_type == EARLY_HINT or message_type == INFORMATIONAL:
                    raise RuntimeError(f"'{message_type}' sent after 'http.response.start'.")
                raise RuntimeError(
                    f"Expected ASGI message 'http.response.body', but got '{message_type}'."
                )

            more_body = message.get("more_body", False)
            body = b"" if self.is_head else message.get("body", b"")
            output = self.conn.body(body, more_body)
            if output:
                self.transport.write(output)

            # Handle response completion
            if not more_body:
                self.response_complete = True
                self.wake()

        else:
            # Response already sent
            raise RuntimeError(
                f"Unexpected ASGI message '{message_type}' sent, after response already completed."
            )

        if self.response_complete:
            if not self.keep_alive or not self.conn.keep_alive:
                self.conn.close()
                self.transport.close()
            self.on_response()

    def send_interim(self, message: ASGISendEvent) -> None:
        """An interim response before ``http.response.start``: never to an HTTP/1.0 client
        (the extensions are not advertised to it and the message is dropped)."""
        if self.scope["http_version"] == "1.0" or self.transport.is_closing():
            return
        if message["type"] == EARLY_HINT:
            status = 103
            headers: Any = [(b"link", link) for link in message["links"]]
        else:
            status = message["status"]
            headers = message.get("headers", ())
            if not (isinstance(status, int) and 100 <= status <= 199) or status == 101:
                raise RuntimeError(
                    f"'{INFORMATIONAL}' needs a 1xx status other than 101, not {status!r}."
                )
        self.transport.write(self.conn.interim(status, headers))
        self.waiting_for_100_continue = self.conn.waiting_for_100_continue

    async def receive(self) -> ASGIReceiveEvent:
        if self.waiting_for_100_continue and not self.transport.is_closing():
            self.transport.write(self.conn.interim(100, ()))
            self.waiting_for_100_continue = False
        elif self.response_started:
            self.flush()

        if not self.disconnected and not self.response_complete:
            self.flow.resume_reading()
            if not self.chunks and (self.more_body or self.body_delivered):
                waiter = self.waiter = asyncio.get_running_loop().create_future()
                await waiter

        if self.disconnected or self.response_complete:
            return {"type": "http.disconnect"}

        chunks = self.chunks
        if not chunks:
            body = b""
        elif len(chunks) == 1:
            body = chunks[0]
            chunks.clear()
        else:
            body = b"".join(chunks)
            chunks.clear()
        self.buffered = 0
        if not self.more_body:
            self.body_delivered = True
        return {"type": "http.request", "body": body, "more_body": self.more_body}


def _worker_class() -> type:
    """``H1xWorker``: a gunicorn worker running uvicorn with ``H1xProtocol``.

    Built on the ``uvicorn-worker`` package's ``UvicornWorker`` when it is installed (uvicorn
    deprecated ``uvicorn.workers`` in its favour), else on ``uvicorn.workers.UvicornWorker``.
    """
    try:
        from uvicorn_worker import UvicornWorker
    except ImportError:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from uvicorn.workers import UvicornWorker

    class H1xWorker(UvicornWorker):  # type: ignore[misc, valid-type]
        """gunicorn worker: ``gunicorn app:app -k h1x.uvicorn.H1xWorker`` (a dotted path)."""

        CONFIG_KWARGS = {**UvicornWorker.CONFIG_KWARGS, "http": H1xProtocol}

    H1xWorker.__module__ = __name__
    return H1xWorker


def __getattr__(name: str) -> Any:
    # gunicorn is imported only when the worker class is asked for
    if name == "H1xWorker":
        cls = _worker_class()
        globals()["H1xWorker"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
