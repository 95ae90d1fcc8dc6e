"""Text files as offices save them: UTF-8 (with or without BOM) from editors and this tool, GBK/GB18030 from
Excel/WPS "CSV (逗号分隔)" and Notepad's "ANSI" on Chinese Windows."""
from __future__ import annotations

from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")


def read_text(path: str | Path) -> str:
    """The file's text in the first encoding that fits; the last UnicodeDecodeError when none does."""
    data = Path(path).read_bytes()
    for encoding in ENCODINGS[:-1]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode(ENCODINGS[-1])


def read_user_text(path: str | Path, locale: str) -> str:
    """`read_text` with the user's own words for a missing, unreadable or undecodable file."""
    from ..errors import RosterFileError
    from ..i18n import t
    try:
        return read_text(path)
    except FileNotFoundError:
        raise RosterFileError(t("path_missing", locale, path=path))
    except UnicodeDecodeError:
        raise RosterFileError(t("not_utf8", locale, path=path))
    except OSError as exc:
        raise RosterFileError(t("file_unreadable", locale, path=path, detail=exc.strerror or exc))
