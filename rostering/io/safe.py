"""Safe writing: write beside the target, then rename, so a crash never leaves half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from ..errors import RosterFileError
from ..i18n import t


def write_atomically(path: str | Path, write: Callable[[Path], None], force: bool = False,
                     locale: str = "zh") -> Path:
    """Call `write(tmp_path)` and move the result onto `path`; refuse to overwrite without `force`."""
    path = Path(path)
    if path.is_dir():
        raise RosterFileError(t("safe_is_folder", locale, path=path))
    if path.exists() and not force:
        raise RosterFileError(t("exists", locale, path=path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RosterFileError(f"{path}: " + ("文件夹不存在" if locale == "zh" else "folder does not exist"))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix, dir=folder)
        os.close(fd)
    except OSError as exc:
        raise RosterFileError(f"{path}: " + ("无法写入：" if locale == "zh" else "cannot write: ") + exc.strerror)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    except OSError as exc:
        hint = ("文件可能正被 Excel/WPS 打开，请关闭后重试" if locale == "zh"
                else "the file may be open in Excel/WPS; close it and try again")
        raise RosterFileError(f"{path}: {exc.strerror or exc} — {hint}")
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
    return path
