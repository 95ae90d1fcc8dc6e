"""Safe writing: no overwrite without --force, clear errors, and never a partial file left behind."""
from __future__ import annotations

import os
from datetime import date

import pytest

from conftest import rules_from
from rostering.errors import RosterFileError
from rostering.io import save_roster
from rostering.roster import Assignment, Roster

RULES = """
organization: 某办
shifts: [{id: d, name: 值班, windows: "08:30-17:30"}]
staff: [{name: 甲}]
"""


@pytest.fixture
def rules():
    return rules_from(RULES)


@pytest.fixture
def roster():
    return Roster(date(2026, 12, 1), date(2026, 12, 1), [Assignment(date(2026, 12, 1), "d", "甲")])


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".ics", ".json"])
def test_refuses_to_overwrite_without_force(tmp_path, rules, roster, suffix):
    target = tmp_path / f"r{suffix}"
    target.write_text("keep me")
    with pytest.raises(RosterFileError, match="已存在；加 --force 覆盖"):
        save_roster(target, roster, rules)
    assert target.read_text() == "keep me"
    save_roster(target, roster, rules, force=True)
    assert target.read_bytes() != b"keep me"
    assert leftovers(tmp_path) == [target.name]


def test_a_folder_as_target_is_a_clear_error(tmp_path, rules, roster):
    folder = tmp_path / "r.xlsx"
    folder.mkdir()
    for force in (False, True):
        with pytest.raises(RosterFileError, match="是一个文件夹"):
            save_roster(folder, roster, rules, force=force)
    assert leftovers(tmp_path) == ["r.xlsx"] and leftovers(folder) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_folder_is_a_clear_error(tmp_path, rules, roster):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(RosterFileError, match="无法写入"):
            save_roster(folder / "r.xlsx", roster, rules)
    finally:
        folder.chmod(0o700)
    assert leftovers(folder) == []


def test_locked_target_keeps_the_old_file_and_leaves_no_temp(tmp_path, rules, roster, monkeypatch):
    """An open file in Excel/WPS on Windows refuses the rename; the old file must survive intact."""
    target = tmp_path / "r.xlsx"
    target.write_text("approved version")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(RosterFileError, match="Excel/WPS"):
        save_roster(target, roster, rules, force=True)
    assert target.read_text() == "approved version"
    assert leftovers(tmp_path) == ["r.xlsx"]


def test_a_failing_writer_leaves_no_partial_file(tmp_path, rules, roster, monkeypatch):
    from rostering.io import excel

    def half_then_fail(ws, roster, problem):
        raise ValueError("disk trouble halfway")

    monkeypatch.setattr(excel, "write_stats_sheet", half_then_fail)
    with pytest.raises(ValueError):
        save_roster(tmp_path / "r.xlsx", roster, rules)
    assert leftovers(tmp_path) == []


def test_messages_in_english(tmp_path, roster):
    rules = rules_from(RULES + "locale: en\n")
    target = tmp_path / "r.csv"
    target.write_text("x")
    with pytest.raises(RosterFileError, match="exists; use --force to overwrite"):
        save_roster(target, roster, rules)
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(RosterFileError, match="is a folder; give a file name"):
        save_roster(tmp_path / "folder.json", roster, rules)
