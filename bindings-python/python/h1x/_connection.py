"""Mirror of ``h11._connection`` for code that imports from it (uvicorn does)."""

from . import NEED_DATA, PAUSED, Connection
from ._h1x import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE

__all__ = ["Connection", "NEED_DATA", "PAUSED", "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE"]
