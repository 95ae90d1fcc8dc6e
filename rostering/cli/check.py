"""`roster check`: every rule violation of a roster file, in plain words; proposed covers and swaps. Never imports ortools."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..changes import apply_changes, approval_note, change_approvers, parse_cover, parse_swap, policy_violations, shift_label
from ..checking import check_roster
from ..errors import ChangeError
from ..i18n import join_names, t
from ..io import load_roster, save_roster
from ..problem import Problem
from . import main
from .holidays import with_rotation
from .ledger import open_ledger
from .options import db_option, format_option, handle_errors, read_rules, rules_argument


def hand_edits(roster_file: str, rules) -> dict | None:
    """What was changed by hand in an Excel roster since the tool wrote it (None for other files)."""
    if not str(roster_file).lower().endswith(".xlsx"):
        return None
    from ..errors import RosterFileError
    from ..io.excel import changes_since_generation
    try:
        removed, added = changes_since_generation(Path(roster_file), rules)
    except RosterFileError:
        return None  # a workbook made by hand has no generation record: nothing to compare with

    def rows(items):
        return [{"date": a.date.isoformat(), "shift": shift_label(rules, a.shift), "person": a.person} for a in items]
    return {"removed": rows(removed), "added": rows(added)}


def _violation_key(v) -> tuple:
    return (v.rule_id, v.date, v.shift, v.people)


def report_violations(report, locale: str, fmt: str, extra: dict | None = None, new: set | None = None) -> None:
    """Print violations as text or JSON; with `new`, mark those a proposed change caused."""
    violations = (extra or {}).get("policy", []) + report.violations
    if fmt == "json":
        rows = []
        for v in violations:
            row = v.as_dict()
            if new is not None:
                row["new"] = _violation_key(v) in new
            rows.append(row)
        out = {"ok": report.ok and not (extra or {}).get("policy"), "violations": rows,
               "fairness_spread": report.fairness_spread}
        out.update({k: v for k, v in (extra or {}).items() if k != "policy"})
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for v in violations:
        tag = "" if v.hard else ("（软约束）" if locale == "zh" else " (soft)")
        if new is not None and _violation_key(v) in new:
            tag += t("new_tag", locale)
        click.echo(f"[{v.rule}{tag}] {v.message}")
    hard = [v for v in violations if v.hard]
    if new is not None:
        caused = sum(1 for v in hard if _violation_key(v) in new)
        click.echo(t("change_breaks", locale, n=len(hard), new=caused) if hard else t("change_ok", locale))
    elif not violations:
        click.echo(t("check_ok", locale))
    else:
        click.echo(t("check_hard", locale, n=len(hard)) if hard
                   else t("check_soft_only", locale, n=len(violations)))


@main.command()
@rules_argument
@click.argument("roster_file", metavar="ROSTER", type=click.Path(dir_okay=False))
@click.option("--cover", "covers", multiple=True, metavar="CHANGE",
              help='Proposed cover, e.g. "2026-12-05 夜班 张三 -> 王五" (repeatable).')
@click.option("--swap", "swaps", multiple=True, metavar="CHANGE",
              help='Proposed swap, e.g. "2026-12-05 夜班 张三 <-> 2026-12-09 夜班 李四" (repeatable).')
@click.option("--apply", "apply_", is_flag=True,
              help="Record the approved changes in the ledger and rewrite ROSTER (covers first, then swaps).")
@click.option("--approved-by", help="Who approved the changes (the leader on duty).")
@db_option
@format_option
@handle_errors
def check(rules_file, roster_file, covers, swaps, apply_, approved_by, db, fmt):
    """Check a roster (.xlsx/.csv/.json) against every rule; exit 1 when a rule is broken.

    With --cover/--swap, check the roster as it would be after the changes, without editing it."""
    rules = read_rules(rules_file)
    loc = rules.locale
    roster = load_roster(roster_file, rules)
    if not covers and not swaps:
        if apply_:
            raise ChangeError(t("apply_needs_change", loc))
        report = check_roster(rules, roster, with_rotation(Problem.for_roster(rules, roster), rules_file, db,
                                                            None))  # 滚动排班: who was due, from the ledger
        edits = hand_edits(roster_file, rules)
        if fmt == "text" and edits and (edits["removed"] or edits["added"]):
            click.echo(t("hand_edits", loc, removed=len(edits["removed"]), added=len(edits["added"])))
            for sign, items in (("-", edits["removed"]), ("+", edits["added"])):
                for a in items:
                    click.echo(f"  {sign} {a['date']} {a['shift']} {a['person']}")
        report_violations(report, loc, fmt, {"hand_edits": edits} if edits is not None else None)
        sys.exit(0 if report.ok else 1)

    changes = [parse_cover(c, rules) for c in covers] + [parse_swap(s, rules) for s in swaps]
    changed = apply_changes(roster, changes, rules)
    problem = with_rotation(Problem.for_roster(rules, roster), rules_file, db, None)
    before = {_violation_key(v) for v in check_roster(rules, roster, problem).violations}
    after = check_roster(rules, changed, problem)
    policy = [v for c in changes for v in policy_violations(rules, c)]
    new = {_violation_key(v) for v in policy + after.violations if _violation_key(v) not in before}
    described = [{"kind": c.kind, "change": c.text, "description": c.describe(rules),
                  "approvers": change_approvers(rules, roster, c)} for c in changes]
    if fmt == "text":  # what is proposed first, also when --apply refuses it
        for item in described:
            approval = approval_note(rules, item["approvers"])
            click.echo(f"{item['description']}" + (f" — {approval}" if approval else ""))
    applied = False
    if apply_:
        broken = [v for v in policy + after.hard if _violation_key(v) in new]
        if broken:
            report_violations(after, loc, fmt, {"policy": policy, "changes": described, "applied": False}, new)
            click.echo(t("apply_refused", loc), err=True)
            sys.exit(1)
        _apply(rules_file, roster_file, db, rules, changes, described, changed, approved_by)
        applied = True
    report_violations(after, loc, fmt, {"policy": policy, "changes": described, "applied": applied}, new)
    sys.exit(0 if after.ok and not policy else 1)


def _apply(rules_file, roster_file, db, rules, changes, described, changed, approved_by) -> None:
    """Record the changes and rewrite the roster file in one ledger transaction: both happen or neither."""
    loc = rules.locale
    if rules.substitution.approval != "none":
        if not approved_by:
            raise ChangeError(t("apply_needs_approver", loc))
        for item in described:
            if item["approvers"] and approved_by not in item["approvers"]:
                raise ChangeError(t("apply_wrong_approver", loc, names=join_names(item["approvers"], loc), name=approved_by))
    with open_ledger(rules_file, db, rules, create=False) as ledger:
        with ledger.transaction():
            for change in changes:
                ledger.record_change(change, approved_by or "", rules)
            save_roster(roster_file, changed, rules, force=True)
        click.echo(t("applied", loc, db=ledger.path, approver=approved_by or "—", path=roster_file), err=True)
