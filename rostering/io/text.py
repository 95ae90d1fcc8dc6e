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
