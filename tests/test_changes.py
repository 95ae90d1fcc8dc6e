"""Covers and swaps: parsing, applying, the substitution policy (seed 001), approvers, and `substitutes`.

`substitutes` is held against `check_roster`: on a generated roster with a new leave, the
people it proposes are exactly those whose cover keeps every rule and the policy.
"""
from __future__ import annotations

from datetime import date

import pytest
from conftest import rules_from

from rostering.changes import (Move, apply_change, apply_changes, change_approvers, move_allowed, parse_cover,
                               parse_swap, policy_violations, roster_diff, substitutes)
from rostering.checking import check_roster
from rostering.constraints import Fairness
from rostering.errors import ChangeError
from rostering.problem import Problem
from rostering.roster import Assignment, Roster

# Seed 001: duty-room shifts are held and covered by duty-room staff only; the evening shift is
# open to the other departments but may be covered only by 综合科; anything else within the group.
DUTY_ROOM = """
organization: 市政府办公室
shifts:
  - {id: day, name: 白班, windows: "08:00-18:00", groups: [值班室], days: [workday, adjusted_workday, weekend]}
  - {id: night, name: 夜班, windows: "18:00-08:00", groups: [值班室], days: [workday, adjusted_workday, weekend]}
  - {id: evening, name: 晚班, windows: "18:00-20:30", exclude_groups: [领导, 值班室], days: [workday]}
leaders:
  - {roles: [leader]}
staff:
  - {name: 甲, group: 值班室}
  - {name: 乙, group: 值班室}
  - {name: 丙, group: 值班室}
  - {name: 丁, group: 值班室}
  - {name: 戊, group: 值班室}
  - {name: 己, group: 值班室}
  - {name: 赵, group: 综合科}
  - {name: 钱, group: 综合科}
  - {name: 孙, group: 秘书科}
  - {name: 李, group: 秘书科}
  - {name: 王领导, group: 领导, roles: [leader]}
  - {name: 陈领导, group: 领导, roles: [leader]}
rules:
  min_rest_hours: 12
  max_consecutive_nights: 2
substitution:
  cover:
    - {shifts: [day, night], same_group: true}
    - {shifts: [evening], groups: [综合科]}
    - {same_group: true}
"""
DEC = (date(2026, 12, 1), date(2026, 12, 31))


@pytest.fixture(scope="module")
def duty_rules():
    return rules_from(DUTY_ROOM)


@pytest.fixture(scope="module")
def duty_roster(duty_rules):
    from rostering.solve import solve
    result = solve(Problem(duty_rules, *DEC), time_limit=4, workers=2)
    assert result.found
    assert check_roster(duty_rules, result.roster).ok
    return result.roster


def holder(roster: Roster, day: date, shift: str) -> str:
    return roster.on(day, shift)[0]


def test_cover_parses_shift_by_id_or_name_and_any_arrow(duty_rules):
    by_name = parse_cover("2026-12-05 夜班 甲 -> 乙", duty_rules)
    assert by_name.moves == (Move(date(2026, 12, 5), "night", "甲", "乙"),)
    for text in ("2026-12-05 night 甲->乙", "2026/12/5 夜班 甲 → 乙", " 2026-12-05  夜班  甲 =>  乙 "):
        assert parse_cover(text, duty_rules).moves == by_name.moves


def test_swap_parses_into_two_moves(duty_rules):
    change = parse_swap("2026-12-05 夜班 甲 <-> 2026-12-09 白班 乙", duty_rules)
    assert change.kind == "swap"
    assert change.moves == (Move(date(2026, 12, 5), "night", "甲", "乙"), Move(date(2026, 12, 9), "day", "乙", "甲"))
    assert parse_swap("2026-12-05 night 甲 ↔ 2026-12-09 day 乙", duty_rules).moves == change.moves


@pytest.mark.parametrize("text, words", [
    ("2026-12-05 夜班 甲 乙", ["2026-12-05 夜班 张三 -> 王五"]),
    ("2026-12-05 甲 -> 乙", ["2026-12-05 夜班 张三 -> 王五"]),
    ("2026-13-05 夜班 甲 -> 乙", ["2026-13-05", "2026-12-05"]),
    ("2026-12-05 早班 甲 -> 乙", ["早班", "白班、夜班、晚班"]),
    ("2026-12-05 夜班 甲 -> 无名氏", ["无名氏", "人员名单"]),
    ("2026-12-05 夜班 甲 -> 乙 丙", ["2026-12-05 夜班 张三 -> 王五"]),
    ("2026-12-05 夜班 甲 <-> 2026-12-06 夜班 乙", ["2026-12-05 夜班 张三 -> 王五"]),
])
def test_bad_cover_text_says_what_to_write(duty_rules, text, words):
    with pytest.raises(ChangeError) as err:
        parse_cover(text, duty_rules)
    for word in words:
        assert word in str(err.value)


def test_bad_swap_text_says_what_to_write(duty_rules):
    with pytest.raises(ChangeError, match="<-> 2026-12-09 夜班 李四"):
        parse_swap("2026-12-05 夜班 甲 -> 乙", duty_rules)


def test_apply_moves_assignments_and_refuses_what_does_not_fit(duty_rules, duty_roster):
    day = date(2026, 12, 7)
    night = holder(duty_roster, day, "night")
    other = next(p.name for p in duty_rules.staff if p.group == "值班室" and p.name != night)
    changed = apply_change(duty_roster, parse_cover(f"2026-12-07 夜班 {night} -> {other}", duty_rules), duty_rules)
    assert changed.on(day, "night") == [other]
    assert len(changed.assignments) == len(duty_roster.assignments)
    assert duty_roster.on(day, "night") == [night]  # the original is untouched
    with pytest.raises(ChangeError, match="没有 2026-12-07 夜班"):
        apply_change(duty_roster, parse_cover(f"2026-12-07 夜班 {other} -> {night}", duty_rules), duty_rules)
    with pytest.raises(ChangeError, match="已在 2026-12-07 夜班"):
        apply_change(Roster(*DEC, duty_roster.assignments + [Assignment(day, "night", other)]),
                     parse_cover(f"2026-12-07 夜班 {night} -> {other}", duty_rules), duty_rules)
    with pytest.raises(ChangeError, match="不能代替自己"):
        apply_change(duty_roster, parse_cover(f"2026-12-07 夜班 {night} -> {night}", duty_rules), duty_rules)
    with pytest.raises(ChangeError, match="不在排班期"):
        apply_change(duty_roster, parse_cover(f"2027-01-07 夜班 {night} -> {other}", duty_rules), duty_rules)


def test_swap_exchanges_and_changes_apply_in_sequence(duty_rules, duty_roster):
    a = date(2026, 12, 7)
    pa = holder(duty_roster, a, "night")
    b = next(date(2026, 12, n) for n in range(10, 32) if holder(duty_roster, date(2026, 12, n), "day") != pa)
    pb = holder(duty_roster, b, "day")
    day_b = f"{b.isoformat()} 白班"
    swapped = apply_change(duty_roster, parse_swap(f"2026-12-07 夜班 {pa} <-> {day_b} {pb}", duty_rules), duty_rules)
    assert (swapped.on(a, "night"), swapped.on(b, "day")) == ([pb], [pa])
    back = apply_changes(duty_roster, [parse_swap(f"2026-12-07 夜班 {pa} <-> {day_b} {pb}", duty_rules),
                                       parse_swap(f"2026-12-07 夜班 {pb} <-> {day_b} {pa}", duty_rules)],
                         duty_rules)
    assert back == duty_roster


def test_seed_001_duty_room_shifts_are_covered_only_within_the_duty_room(duty_rules):
    d = date(2026, 12, 5)
    assert move_allowed(duty_rules, Move(d, "night", "甲", "乙")) is None
    assert move_allowed(duty_rules, Move(d, "day", "甲", "乙")) is None
    refused = move_allowed(duty_rules, Move(d, "night", "甲", "孙"))
    assert refused and "同组" in refused and "孙" in refused
    [violation] = policy_violations(duty_rules, parse_cover("2026-12-05 夜班 甲 -> 孙", duty_rules))
    assert (violation.rule_id, violation.people, violation.hard) == ("substitution", ("甲", "孙"), True)


def test_a_shift_named_rule_wins_and_groups_alone_drop_same_group(duty_rules):
    d = date(2026, 12, 7)
    assert move_allowed(duty_rules, Move(d, "evening", "孙", "赵")) is None  # 综合科 covers 秘书科: allowed
    assert "综合科" in move_allowed(duty_rules, Move(d, "evening", "赵", "甲"))  # eligible, but not 综合科
    assert "综合科" in move_allowed(duty_rules, Move(d, "evening", "赵", "李"))
    assert move_allowed(duty_rules, Move(d, "leader", "王领导", "陈领导")) is None  # general rule: same group
    strict = rules_from(DUTY_ROOM.replace("{shifts: [evening], groups: [综合科]}",
                                          "{shifts: [evening], groups: [综合科, 秘书科], same_group: true}"))
    assert "同组" in move_allowed(strict, Move(d, "evening", "孙", "赵"))
    open_rules = rules_from(DUTY_ROOM.split("substitution:")[0])
    assert move_allowed(open_rules, Move(d, "night", "甲", "孙")) is None  # no policy: only the rules apply


def test_the_leader_on_duty_approves(duty_rules, duty_roster):
    d = date(2026, 12, 7)
    leader = holder(duty_roster, d, "leader")
    night = holder(duty_roster, d, "night")
    change = parse_cover(f"2026-12-07 夜班 {night} -> 戊", duty_rules)
    assert change_approvers(duty_rules, duty_roster, change) == [leader]
    swap = parse_swap(f"2026-12-07 夜班 {night} <-> 2026-12-08 夜班 {holder(duty_roster, date(2026, 12, 8), 'night')}",
                      duty_rules)
    assert set(change_approvers(duty_rules, duty_roster, swap)) == {
        leader, holder(duty_roster, date(2026, 12, 8), "leader")}
    leaders_swap = parse_cover(f"2026-12-07 带班领导 {leader} -> {'陈领导' if leader == '王领导' else '王领导'}",
                               duty_rules)
    assert change_approvers(duty_rules, duty_roster, leaders_swap) == []  # nobody approves their own change
    no_approval = rules_from(DUTY_ROOM + "  approval: none\n")
    assert change_approvers(no_approval, duty_roster, change) == []


def _keeps_rules(rules, roster, baseline_hard) -> bool:
    """Whether every hard violation of `roster` was already there (checked by the full `check_roster`)."""
    keys = {(v.rule_id, v.date, v.shift, v.people) for v in check_roster(rules, roster).hard}
    return keys <= baseline_hard


@pytest.mark.parametrize("extra_rules", ["", "  max_weekends: 2\n"], ids=["seed 001", "with max_weekends"])
def test_substitutes_are_exactly_the_valid_covers_and_swaps(duty_rules, duty_roster, extra_rules):
    """Someone falls ill after the roster is made: every proposal keeps every rule, and none is missed."""
    text = DUTY_ROOM.replace("rules:\n", "rules:\n" + extra_rules)
    rules, roster = duty_rules, duty_roster
    if extra_rules:
        from rostering.solve import solve
        rules = rules_from(text)
        roster = solve(Problem(rules, *DEC), time_limit=4, workers=2).roster
        assert roster is not None and check_roster(rules, roster).ok
    d = next(date(2026, 12, n) for n in range(5, 32)
             if (lambda f: f.candidates and f.swaps)(substitutes(rules, roster, date(2026, 12, n), "night")))
    sick = holder(roster, d, "night")
    rules = rules_from(text.replace(
        f"{{name: {sick}, group: 值班室}}",
        f"{{name: {sick}, group: 值班室, unavailable: [{{from: {d.isoformat()}, reason: 病假}}]}}"))
    baseline = {(v.rule_id, v.date, v.shift, v.people) for v in check_roster(rules, roster).hard}
    assert {v[0] for v in baseline} == {"unavailable"}
    found = substitutes(rules, roster, d, "夜班")
    assert found.person == sick and found.approvers == roster.on(d, "leader")
    fixed = {("unavailable", d, "night", (sick,))}
    valid_covers = set()
    for p in rules.staff:
        if p.name == sick:
            continue
        move = Move(d, "night", sick, p.name)
        after = roster.changed([move.removed], [move.added])
        if not move_allowed(rules, move) and _keeps_rules(rules, after, baseline - fixed):
            valid_covers.add(p.name)
    assert {o.taker for o in found.candidates} == valid_covers
    assert valid_covers  # the case is not vacuous
    valid_swaps = set()
    for a in roster.assignments:
        if a.person == sick or (a.date, a.shift) == (d, "night"):
            continue
        moves = [Move(d, "night", sick, a.person), Move(a.date, a.shift, a.person, sick)]
        if any(m.added.key in roster.keys for m in moves):
            continue
        after = roster.changed([m.removed for m in moves], [m.added for m in moves])
        if not any(move_allowed(rules, m) for m in moves) and _keeps_rules(rules, after, baseline - fixed):
            valid_swaps.add((a.date, a.shift, a.person))
    assert {(o.date, o.shift, o.taker) for o in found.swaps} == valid_swaps
    assert valid_swaps
    assert all(o.taker not in ("孙", "李", "赵", "钱") for o in found.candidates + found.swaps)


def test_substitutes_are_ranked_by_the_change_in_fairness(duty_rules, duty_roster):
    d = date(2026, 12, 14)
    found = substitutes(duty_rules, duty_roster, d, "night")
    costs = [o.cost for o in found.candidates]
    assert costs == sorted(costs)
    problem = Problem(duty_rules, *DEC)
    fairness = Fairness(duty_rules.fairness.weight)
    before = sum(fairness.measure(duty_roster, problem).values())
    for o in found.candidates:
        move = Move(d, "night", found.person, o.taker)
        after = duty_roster.changed([move.removed], [move.added])
        assert o.cost == pytest.approx(o.penalty + duty_rules.fairness.weight *
                                       (sum(fairness.measure(after, problem).values()) - before) / 10)


def test_substitutes_fill_a_short_slot(duty_rules, duty_roster):
    d = date(2026, 12, 16)
    gone = holder(duty_roster, d, "day")
    short = duty_roster.changed(remove=[Assignment(d, "day", gone)])
    found = substitutes(duty_rules, short, d, "day")
    assert found.person is None and not found.swaps
    assert gone in {o.taker for o in found.candidates}
    for o in found.candidates:
        assert check_roster(duty_rules, short.changed(add=[Assignment(d, "day", o.taker)])).ok


def test_substitutes_say_what_is_wrong_with_the_question(duty_rules, duty_roster):
    with pytest.raises(ChangeError, match="早班"):
        substitutes(duty_rules, duty_roster, date(2026, 12, 5), "早班")
    with pytest.raises(ChangeError, match="2026-12-06 不安排 晚班"):
        substitutes(duty_rules, duty_roster, date(2026, 12, 6), "evening")  # no evening shift on a Sunday
    d = date(2026, 12, 7)
    not_holder = next(p.name for p in duty_rules.staff if p.group == "值班室" and p.name != holder(duty_roster, d, "night"))
    with pytest.raises(ChangeError, match=f"{not_holder} 没有"):
        substitutes(duty_rules, duty_roster, d, "night", person=not_holder)


def test_roster_diff_counts_what_replanning_changed(duty_rules, duty_roster):
    d = date(2026, 12, 7)
    night = holder(duty_roster, d, "night")
    other = "戊" if night != "戊" else "丁"
    changed = duty_roster.changed([Assignment(d, "night", night)], [Assignment(d, "night", other)])
    diff = roster_diff(duty_rules, duty_roster, changed)
    assert diff["kept"] == len(duty_roster.assignments) - 1
    assert diff["removed"] == [{"date": "2026-12-07", "shift": "night", "shift_name": "夜班", "person": night}]
    assert diff["added"][0]["person"] == other


def test_a_misspelt_name_in_a_cover_gets_a_suggestion():
    from rostering.changes import parse_cover
    from rostering.errors import ChangeError
    from rostering.loading import parse_rules
    rules = parse_rules(DUTY_ROOM, "r.yaml")
    someone = rules.staff[0].name
    with pytest.raises(ChangeError) as info:
        parse_cover(f"2026-12-05 夜班 {someone} -> {someone}x", rules)
    assert f"是否想写 {someone}" in str(info.value)
