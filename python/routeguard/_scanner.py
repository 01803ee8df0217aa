"""`Scanner` and `Stream`: the native classes plus asyncio variants and stream iterators.

Every synchronous method runs in Rust with the GIL released, so other Python threads keep
running while a text is scanned. The ``*_async`` variants run that same call in a worker thread
(``asyncio.to_thread``): scanning is CPU-bound work that takes the GIL off, so a thread is all it
needs; an event loop or a Rust-side runtime would add machinery and nothing else. ``to_thread``
uses the loop's default executor, carries ``contextvars`` along, and needs no extra dependency.
"""

from __future__ import annotations

import asyncio
import os
from typing import (
    Any,
    AsyncIterable,
    AsyncIterator,
    Iterable,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Union,
)

from . import _native
from ._native import Detector, Finding, Redaction, Released, RequestScan, Vault

#: An action name as an argument (``"pseudonymise"`` is accepted too).
Action = Literal["block", "mask", "redact", "hash", "pseudonymize", "pseudonymise", "log"]
#: A configuration or a chat request: JSON text, or a dict (any JSON-serialisable mapping).
Json = Union[str, Mapping[str, Any]]
#: The key of the ``hash`` action: bytes, or a str taken as its UTF-8 bytes.
HashKey = Union[bytes, str]
#: A file path.
StrPath = Union[str, "os.PathLike[str]"]


class Scanner:
    """Finds personal data and secrets in texts and OpenRouter chat requests, and applies
    actions (block, mask, redact, hash, pseudonymize, log).

    ``Scanner()`` runs the default profile (every built-in detector, default actions);
    ``Scanner(config)`` takes a configuration as a dict or JSON text; see also
    :meth:`from_yaml` and :meth:`from_file`. A scanner is immutable and safe to share between
    threads. Offsets are code points: ``text[f.start:f.end]`` is the match.
    """

    __slots__ = ("_inner",)
    _inner: _native.Scanner

    def __init__(self, config: Optional[Json] = None) -> None:
        self._inner = _native.Scanner(config)

    @classmethod
    def from_yaml(cls, text: str) -> Scanner:
        """Builds a scanner from a YAML configuration text."""
        return cls._wrap(_native.Scanner.from_yaml(text))

    @classmethod
    def from_file(cls, path: StrPath) -> Scanner:
        """Builds a scanner from a ``.json``, ``.yaml`` or ``.yml`` configuration file."""
        return cls._wrap(_native.Scanner.from_file(path))

    @classmethod
    def _wrap(cls, native: _native.Scanner) -> Scanner:
        scanner = cls.__new__(cls)
        scanner._inner = native
        return scanner

    def scan(self, text: str) -> List[Finding]:
        """The findings in ``text``, in order."""
        return self._inner.scan(text)

    def redact(
        self,
        text: str,
        action: Optional[Action] = None,
        hash_key: Optional[HashKey] = None,
        vault: Optional[Vault] = None,
    ) -> Redaction:
        """Scans ``text`` and applies each finding's action, or ``action`` to every finding.

        ``hash_key`` keys the ``hash`` action; ``vault`` receives the ``pseudonymize`` tokens
        (and can restore them). When the result is ``blocked`` the text must not be sent.
        """
        return self._inner.redact(text, action, hash_key, vault)

    def scan_request(
        self,
        request: Json,
        action: Optional[Action] = None,
        hash_key: Optional[HashKey] = None,
        vault: Optional[Vault] = None,
    ) -> RequestScan:
        """Scans an OpenRouter chat request (a dict or its JSON text) and rewrites it.

        The result's ``request`` is a new dict with the actions applied; finding offsets are
        relative to the string at the finding's ``path`` (a JSON pointer).
        """
        return self._inner.scan_request(request, action, hash_key, vault)

    def stream(
        self,
        action: Optional[Action] = None,
        hash_key: Optional[HashKey] = None,
        vault: Optional[Vault] = None,
    ) -> Stream:
        """A stream scanner for a text that arrives in chunks (a streamed response)."""
        return Stream._wrap(self._inner.stream(action, hash_key, vault))

    def detectors(self) -> List[Detector]:
        """The detectors this scanner runs."""
        return self._inner.detectors()

    @property
    def stream_holdback(self) -> int:
        """The most a stream holds back before releasing text, in UTF-8 bytes."""
        return self._inner.stream_holdback

    async def scan_async(self, text: str) -> List[Finding]:
        """:meth:`scan` in a worker thread."""
        return await asyncio.to_thread(self._inner.scan, text)

    async def redact_async(
        self,
        text: str,
        action: Optional[Action] = None,
        hash_key: Optional[HashKey] = None,
        vault: Optional[Vault] = None,
    ) -> Redaction:
        """:meth:`redact` in a worker thread."""
        return await asyncio.to_thread(self._inner.redact, text, action, hash_key, vault)

    async def scan_request_async(
        self,
        request: Json,
        action: Optional[Action] = None,
        hash_key: Optional[HashKey] = None,
        vault: Optional[Vault] = None,
    ) -> RequestScan:
        """:meth:`scan_request` in a worker thread."""
        return await asyncio.to_thread(
            self._inner.scan_request, request, action, hash_key, vault
        )

    def __repr__(self) -> str:
        return repr(self._inner)


class Stream:
    """A text arriving in chunks. :meth:`push` releases what no match can still cover, with the
    actions applied; :meth:`finish` releases the rest. Offsets in the released findings count
    from the start of the stream. Push chunks in order (from one task or thread at a time).
    """

    __slots__ = ("_inner",)
    _inner: _native.Stream

    def __init__(self) -> None:
        raise TypeError("create a Stream with Scanner.stream()")

    @classmethod
    def _wrap(cls, native: _native.Stream) -> Stream:
        stream = cls.__new__(cls)
        stream._inner = native
        return stream

    def push(self, chunk: str) -> Released:
        """Feeds a chunk; returns what may be passed on now (possibly nothing)."""
        return self._inner.push(chunk)

    def finish(self) -> Released:
        """Ends the stream and returns everything still held. Pushing after this is an error."""
        return self._inner.finish()

    @property
    def pending(self) -> int:
        """UTF-8 bytes received and not yet released."""
        return self._inner.pending

    def feed(self, chunks: Iterable[str]) -> Iterator[Released]:
        """Pushes every chunk, yielding each release, then yields :meth:`finish`."""
        for chunk in chunks:
            yield self._inner.push(chunk)
        yield self._inner.finish()

    async def push_async(self, chunk: str) -> Released:
        """:meth:`push` in a worker thread."""
        return await asyncio.to_thread(self._inner.push, chunk)

    async def finish_async(self) -> Released:
        """:meth:`finish` in a worker thread."""
        return await asyncio.to_thread(self._inner.finish)

    async def feed_async(self, chunks: AsyncIterable[str]) -> AsyncIterator[Released]:
        """:meth:`feed` for an async source of chunks (e.g. an SSE response)."""
        async for chunk in chunks:
            yield await asyncio.to_thread(self._inner.push, chunk)
        yield await asyncio.to_thread(self._inner.finish)

    def __repr__(self) -> str:
        return repr(self._inner)
