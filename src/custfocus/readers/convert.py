"""Legacy and foreign formats (.doc, .ppt, .key, ...) through LibreOffice headless.

``soffice --headless --convert-to docx|pptx`` writes an Office Open XML copy into a fresh
temporary folder (with its own LibreOffice profile, so a desktop session or a parallel
worker never shares one), under a time limit; the copy is read by the docx/pptx reader and
the document keeps the original path. Without ``soffice`` on the PATH the error says to
install LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..document import Document
from ..errors import ConversionError, FileTooLargeError, ReaderError
from ._base import CONVERTED_FORMATS

#: Seconds a conversion may take before LibreOffice is killed.
CONVERT_TIMEOUT = 120.0
_BINARIES = ("soffice", "libreoffice")


def soffice() -> str | None:
    """The LibreOffice binary on the PATH (``CUSTFOCUS_SOFFICE`` overrides), or None."""
    override = os.environ.get("CUSTFOCUS_SOFFICE")
    if override:
        return shutil.which(override)
    return next((found for b in _BINARIES if (found := shutil.which(b))), None)


def read_converted(
    path: Path,
    max_bytes: int,
    read: Callable[[Path, str], Document],
    *,
    timeout: float = CONVERT_TIMEOUT,
) -> Document:
    """Convert ``path`` with LibreOffice and read the copy with ``read(copy, format)``."""
    suffix = path.suffix.lower()
    target = CONVERTED_FORMATS[suffix]
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(path, f"{size:,} bytes (limit {max_bytes:,})")
    binary = soffice()
    if binary is None:
        raise ConversionError(
            path,
            f"LibreOffice not found: install it (soffice on the PATH) to read {suffix} files",
        )
    with tempfile.TemporaryDirectory(prefix="custfocus-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"input{suffix}"
        shutil.copyfile(path, source)  # a plain ASCII name: LibreOffice mangles some paths
        out = folder / "out"
        cmd = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        _run(path, cmd, timeout)
        copy = out / f"input.{target}"
        if not copy.is_file() or copy.stat().st_size == 0:
            raise ConversionError(
                path,
                f"LibreOffice could not convert the {suffix} file (corrupt, password "
                "protected, or not that format)",
            )
        try:
            doc = read(copy, target)
        except ReaderError as exc:
            raise type(exc)(path, f"after conversion to {target}: {exc.reason}") from None
    fmt = suffix.lstrip(".")
    return replace(doc, path=str(path), format=fmt)


def _run(path: Path, cmd: list[str], timeout: float) -> None:
    """Run LibreOffice in its own process group; kill the whole group on timeout."""
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise ConversionError(path, f"cannot start LibreOffice ({exc})") from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ConversionError(
            path, f"LibreOffice took over {timeout:.0f} s to convert the file"
        ) from None
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ConversionError(path, f"LibreOffice failed (exit {proc.returncode}) {tail[0]}")
