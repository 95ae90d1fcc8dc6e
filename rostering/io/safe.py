"""Safe writing: write beside the target, then rename, so a crash never leaves half a file."""
from __future__ import annotations

import os
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..errors import RosterFileError
from ..i18n import t


def check_target(path: str | Path, force: bool = False, locale: str = "zh") -> Path:
    """The folder `path` will be written in; raises when it cannot be (checked before any long work)."""
    path = Path(path)
    if path.is_dir():
        raise RosterFileError(t("safe_is_folder", locale, path=path))
    if path.exists() and not force:
        raise RosterFileError(t("exists", locale, path=path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RosterFileError(t("safe_no_folder", locale, path=path, folder=folder))
    return folder


def _file_mode(path: Path) -> int:
    """The mode a new file gets from the umask (mkstemp's 0600 would hide the roster from colleagues);
    an overwritten file keeps its own."""
    if path.exists():
        return path.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C while writing raises KeyboardInterrupt, so the temporary file is removed.

    OR-Tools leaves SIGINT at its default action (end the process at once) after solving."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def write_atomically(path: str | Path, write: Callable[[Path], None], force: bool = False,
                     locale: str = "zh") -> Path:
    """Call `write(tmp_path)` and move the result onto `path`; refuse to overwrite without `force`."""
    path = Path(path)
    folder = check_target(path, force, locale)
    mode = _file_mode(path)
    with _interruptible():
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix, dir=folder)
            os.close(fd)
        except OSError as exc:
            raise RosterFileError(t("safe_cannot_write", locale, path=path, detail=exc.strerror or exc))
        tmp_path = Path(tmp)
        try:
            write(tmp_path)
            os.chmod(tmp_path, mode)
            os.replace(tmp_path, path)
        except OSError as exc:
            raise RosterFileError(t("safe_locked", locale, path=path, detail=exc.strerror or exc))
        finally:
            if tmp_path.exists():
                tmp_path.unlink()
    return path
