"""Shared test helpers: tiny hand-made rules files."""
from __future__ import annotations

import contextlib
import os
import tempfile
import textwrap
from pathlib import Path

import pytest

from rostering.loading import parse_rules

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

SMALL_OFFICE = """
organization: 测试办公室
shifts:
  - {id: day, name: 白班, windows: "08:30-18:00", groups: [总值班科], days: [workday, adjusted_workday]}
  - {id: evening, name: 晚班, windows: "18:00-20:30", groups: [综合科, 秘书科], days: [workday, adjusted_workday]}
  - {id: night, name: 夜班, windows: "20:30-08:30", groups: [总值班科], days: [workday, adjusted_workday]}
  - {id: rest_day, name: 节假日班, windows: "08:30-08:30", groups: [综合科, 秘书科], days: [weekend, holiday]}
leaders:
  - {roles: [leader]}
staff:
  - {name: 张一, group: 总值班科, phone: "13800000001"}
  - {name: 张二, group: 总值班科}
  - {name: 张三, group: 总值班科}
  - {name: 张四, group: 总值班科, unavailable: [{from: 2026-12-01, to: 2026-12-04, reason: 年假}]}
  - {name: 李一, group: 综合科}
  - {name: 李二, group: 综合科}
  - {name: 李三, group: 秘书科}
  - {name: 李四, group: 秘书科}
  - {name: 李五, group: 秘书科}
  - {name: 王领导, group: 领导, roles: [leader]}
  - {name: 赵领导, group: 领导, roles: [leader]}
rules:
  min_rest_hours: 12
  max_consecutive_nights: 2
"""


@contextlib.contextmanager
def in_temp_dir():
    """Run a block in a fresh empty folder (what click's deprecated isolated_filesystem did)."""
    before = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(before)


def rules_from(text: str, file: str = "rules.yaml"):
    return parse_rules(textwrap.dedent(text), file)


@pytest.fixture
def small_rules():
    return rules_from(SMALL_OFFICE)


@pytest.fixture
def small_rules_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(SMALL_OFFICE, encoding="utf-8")
    return path
