"""h1x: a sans-IO HTTP/1.1 codec with first-class interim (1xx) responses.

A drop-in for h11's public API (``import h1x as h11``), driven by the Rust crate ``h1x``: the
native extension decides every state transition, framing question and error; this module
defines h11's sentinels and exception classes and re-exports the native classes.
"""

from abc import ABC
from collections.abc import Sequence as _Sequence
from typing import Any, Dict, NoReturn, Optional, Tuple

__all__ = [
    "Connection",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "Headers",
    "InformationalResponse",
    "Request",
    "Response",
    "CLIENT",
    "CLOSED",
    "DONE",
    "ERROR",
    "IDLE",
    "MIGHT_SWITCH_PROTOCOL",
    "MUST_CLOSE",
    "NEED_DATA",
    "PAUSED",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
    "ProtocolError",
    "LocalProtocolError",
    "RemoteProtocolError",
    "LENIENCIES",
    "ERROR_KINDS",
]

# the workspace version in Cargo.toml, compiled into the extension (one version for every package)
from ._h1x import __version__  # noqa: E402

PRODUCT_ID = "python-h1x/" + __version__


class Sentinel(type):
    """Metaclass and base of the sentinels: each sentinel is a class that is its own type, so
    ``type(NEED_DATA) is NEED_DATA`` and ``repr(NEED_DATA) == "NEED_DATA"``, as in h11."""

    def __new__(
        cls, name: str, bases: Tuple[type, ...], namespace: Dict[str, Any], **kwds: Any
    ) -> "Sentinel":
        assert bases == (Sentinel,)
        v = super().__new__(cls, name, bases, namespace, **kwds)
        v.__class__ = v  # type: ignore[assignment]
        return v

    def __repr__(self) -> str:
        return self.__name__


class CLIENT(Sentinel, metaclass=Sentinel):
    """The client role."""


class SERVER(Sentinel, metaclass=Sentinel):
    """The server role."""


class IDLE(Sentinel, metaclass=Sentinel):
    """Between messages."""


class SEND_RESPONSE(Sentinel, metaclass=Sentinel):
    """(Server) a request arrived: interim responses may be sent, then the final one."""


class SEND_BODY(Sentinel, metaclass=Sentinel):
    """Sending a body."""


class DONE(Sentinel, metaclass=Sentinel):
    """The message is complete."""


class MUST_CLOSE(Sentinel, metaclass=Sentinel):
    """The message is complete and the connection must close."""


class CLOSED(Sentinel, metaclass=Sentinel):
    """This side closed the connection."""


class MIGHT_SWITCH_PROTOCOL(Sentinel, metaclass=Sentinel):
    """(Client) an Upgrade or CONNECT request was sent; waiting to learn whether it was accepted."""


class SWITCHED_PROTOCOL(Sentinel, metaclass=Sentinel):
    """The connection now speaks another protocol (see ``trailing_data``)."""


class ERROR(Sentinel, metaclass=Sentinel):
    """A protocol error happened; the connection is unusable."""


class NEED_DATA(Sentinel, metaclass=Sentinel):
    """``next_event()``: more bytes are needed."""


class PAUSED(Sentinel, metaclass=Sentinel):
    """``next_event()``: nothing more until ``start_next_cycle()`` (or ever, after a switch)."""


class ProtocolError(Exception):
    """A violation of HTTP/1.1. Never raised directly: see the two subclasses.

    ``error_status_hint`` is the status a server should answer with; ``kind`` is the h1x
    ``ErrorKind`` name (e.g. ``"BareLf"``) and ``offset`` the byte offset in the received
    stream where the problem was found (``None`` for local errors).
    """

    error_status_hint: int
    kind: Optional[str]
    offset: Optional[int]

    def __init__(
        self,
        msg: str,
        error_status_hint: int = 400,
        *,
        kind: Optional[str] = None,
        offset: Optional[int] = None,
    ) -> None:
        if type(self) is ProtocolError:
            raise TypeError("tried to directly instantiate ProtocolError")
        Exception.__init__(self, msg)
        self.error_status_hint = error_status_hint
        self.kind = kind
        self.offset = offset


class LocalProtocolError(ProtocolError):
    """We were asked to send something HTTP/1.1 forbids."""

    def _reraise_as_remote_protocol_error(self) -> NoReturn:
        self.__class__ = RemoteProtocolError  # type: ignore[assignment]
        raise self


class RemoteProtocolError(ProtocolError):
    """The peer sent bytes that violate HTTP/1.1."""


_STATES = (
    IDLE,
    SEND_RESPONSE,
    SEND_BODY,
    DONE,
    MUST_CLOSE,
    CLOSED,
    MIGHT_SWITCH_PROTOCOL,
    SWITCHED_PROTOCOL,
    ERROR,
)

from . import _h1x  # noqa: E402

# the sentinel classes above are h11's API; their names and order are the core's
if tuple(s.__name__ for s in _STATES) != tuple(_h1x.STATE_NAMES):
    raise ImportError(f"h1x: state classes out of step with the core: {_h1x.STATE_NAMES}")

_h1x._init(
    CLIENT,
    SERVER,
    list(_STATES),
    NEED_DATA,
    PAUSED,
    LocalProtocolError,
    RemoteProtocolError,
)

from ._h1x import (  # noqa: E402
    Connection,
    ConnectionClosed,
    Data,
    EndOfMessage,
    Headers,
    InformationalResponse,
    Request,
    Response,
)


class Event(ABC):
    """Base of the event classes (``isinstance(ev, h1x.Event)``), as in h11."""

    __slots__ = ()


for _cls in (Request, InformationalResponse, Response, Data, EndOfMessage, ConnectionClosed):
    Event.register(_cls)
_Sequence.register(Headers)

#: The names accepted by ``Connection(..., leniency=[...])``.
LENIENCIES = tuple(_h1x.LENIENCY_NAMES)

#: Every ``ProtocolError.kind`` the core can report: ``(name, description, suggested status)``.
ERROR_KINDS = tuple(_h1x.ERROR_KINDS)
