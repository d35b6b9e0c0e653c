"""Stream a ZIP archive without holding the archived files in memory.

`zipfile` writes to an unseekable sink (local headers with data descriptors); every chunk read from a
file is compressed and handed to the HTTP response at once, so memory use stays around CHUNK_SIZE
whatever the size of the files.
"""

import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

CHUNK_SIZE = 64 * 1024


class _Sink(io.RawIOBase):
    """A write-only, unseekable file collecting what zipfile writes until it is drained."""

    def __init__(self):
        super().__init__()
        self._buffer = bytearray()
        self._position = 0

    def writable(self):
        return True

    def write(self, data):
        self._buffer += data
        self._position += len(data)
        return len(data)

    def tell(self):
        return self._position

    def drain(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


@dataclass
class ZipEntry:
    """One member of the archive: either `data` (small generated text) or `open` (a callable returning a
    binary file object, read in chunks)."""

    name: str
    data: bytes | None = None
    open: Callable[[], io.BufferedIOBase] | None = None
    size: int | None = None


def iter_zip(entries: list[ZipEntry], chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The archive's bytes, chunk by chunk (no empty chunk)."""
    return (chunk for chunk in _iter_zip(entries, chunk_size) if chunk)


def _iter_zip(entries, chunk_size):
    sink = _Sink()
    date_time = time.localtime()[:6]
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if entry.data is not None:
                archive.writestr(info, entry.data)
                yield sink.drain()
                continue
            large = entry.size is None or entry.size > 0x7FFFFFFF
            with entry.open() as source, archive.open(info, mode="w", force_zip64=large) as target:
                while chunk := source.read(chunk_size):
                    target.write(chunk)
                    yield sink.drain()
            yield sink.drain()
    yield sink.drain()
