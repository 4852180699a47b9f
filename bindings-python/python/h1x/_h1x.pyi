"""Type stubs for the native module ``h1x._h1x`` (re-exported by ``h1x``)."""

from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Type, Union

_Bytesish = Union[bytes, bytearray, memoryview, str]
_HeaderInput = Union["Headers", Iterable[Tuple[_Bytesish, _Bytesish]]]

DEFAULT_MAX_INCOMPLETE_EVENT_SIZE: int
STATE_NAMES: List[str]
LENIENCY_NAMES: List[str]
ERROR_KINDS: List[Tuple[str, str, int]]
__version__: str

def _init(
    client: Any,
    server: Any,
    states: List[Any],
    need_data: Any,
    paused: Any,
    local_error: Any,
    remote_error: Any,
) -> None: ...

class Headers(Sequence[Tuple[bytes, bytes]]):
    """``(name, value)`` pairs with lower-cased names; ``raw_items()`` keeps the names' case."""

    def __len__(self) -> int: ...
    def __getitem__(self, idx: int) -> Tuple[bytes, bytes]: ...  # type: ignore[override]
    def __iter__(self) -> Iterator[Tuple[bytes, bytes]]: ...
    def __contains__(self, item: object) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    def raw_items(self) -> List[Tuple[bytes, bytes]]: ...

class Request:
    """The beginning of an HTTP request."""

    method: bytes
    headers: Headers
    target: bytes
    http_version: bytes
    def __init__(
        self,
        *,
        method: _Bytesish,
        headers: _HeaderInput,
        target: _Bytesish,
        http_version: _Bytesish = b"1.1",
        _parsed: bool = False,
    ) -> None: ...

class InformationalResponse:
    """An interim (1xx) response; any number may precede the final response."""

    headers: Headers
    http_version: bytes
    reason: bytes
    status_code: int
    def __init__(
        self,
        *,
        headers: _HeaderInput,
        status_code: int,
        http_version: _Bytesish = b"1.1",
        reason: _Bytesish = b"",
        _parsed: bool = False,
    ) -> None: ...

class Response:
    """The final response (status 200-999)."""

    headers: Headers
    http_version: bytes
    reason: bytes
    status_code: int
    def __init__(
        self,
        *,
        headers: _HeaderInput,
        status_code: int,
        http_version: _Bytesish = b"1.1",
        reason: _Bytesish = b"",
        _parsed: bool = False,
    ) -> None: ...

class Data:
    """Part of a message body; on a received chunked body, ``chunk_start`` / ``chunk_end`` say
    that it begins / ends a chunk."""

    data: Any
    chunk_start: bool
    chunk_end: bool
    def __init__(self, data: Any, chunk_start: bool = False, chunk_end: bool = False) -> None: ...

class EndOfMessage:
    """The end of a message, with trailer fields (chunked messages only)."""

    headers: Headers
    def __init__(self, *, headers: Optional[_HeaderInput] = None, _parsed: bool = False) -> None: ...

class ConnectionClosed:
    """The peer closed the connection (received), or we close it (sent)."""

    def __init__(self) -> None: ...

_Event = Union[Request, InformationalResponse, Response, Data, EndOfMessage, ConnectionClosed]

class Connection:
    """An HTTP/1.1 connection, client or server: h11's ``Connection``, driven by h1x."""

    def __init__(
        self,
        our_role: Type[Any],
        max_incomplete_event_size: int = 16384,
        *,
        max_head_bytes: Optional[int] = None,
        max_line_bytes: Optional[int] = None,
        max_trailer_bytes: Optional[int] = None,
        max_chunk_ext_bytes: Optional[int] = None,
        max_headers: Optional[int] = None,
        leniency: Union[None, str, Iterable[str]] = None,
    ) -> None: ...
    @property
    def our_role(self) -> Type[Any]: ...
    @property
    def their_role(self) -> Type[Any]: ...
    @property
    def our_state(self) -> Type[Any]: ...
    @property
    def their_state(self) -> Type[Any]: ...
    @property
    def states(self) -> dict: ...
    @property
    def their_http_version(self) -> Optional[bytes]: ...
    @property
    def client_is_waiting_for_100_continue(self) -> bool: ...
    @property
    def they_are_waiting_for_100_continue(self) -> bool: ...
    @property
    def trailing_data(self) -> Tuple[bytes, bool]: ...
    def receive_data(self, data: Union[bytes, bytearray, memoryview, None]) -> None: ...
    def next_event(self) -> Union[_Event, Type[Any]]: ...
    def send(self, event: _Event) -> Optional[bytes]: ...
    def send_with_data_passthrough(self, event: _Event) -> Optional[List[Any]]:
        """Like `send`, as a list; a `Data` whose `data` is not bytes-like comes back untouched
        between its framing."""
        ...
    def send_failed(self) -> None: ...
    def start_next_cycle(self) -> None: ...

# h1x.uvicorn's connection (src/asgi.rs); not part of the h11 API
class AsgiConnection:
    def __init__(
        self,
        template_11: dict,
        template_10: dict,
        root_path: str,
        app_state: dict,
        max_incomplete_event_size: int = 16384,
        max_headers: Optional[int] = None,
    ) -> None: ...
    def feed(self, data: Union[bytes, bytearray, memoryview]) -> None: ...
    def next_event(
        self,
    ) -> Union[None, int, bytes, Tuple[dict, int, Optional[bytes], Optional[bytes]]]: ...
    def upgrade_bytes(self) -> bytes: ...
    def start(self, status: int, headers: Iterable[Any], default_headers: Iterable[Any]) -> None: ...
    def interim(self, status: int, headers: Iterable[Any]) -> bytes: ...
    def body(self, data: bytes, more: bool) -> bytes: ...
    def flush(self) -> Optional[bytes]: ...
    def next_cycle(self) -> bool: ...
    @property
    def keep_alive(self) -> bool: ...
    @property
    def waiting_for_100_continue(self) -> bool: ...
    def close(self) -> None: ...

def error_response(status: int, default_headers: Iterable[Any], message: str) -> bytes: ...
