"""Feasible-first search: a hard-rules-only roster, then the full search hinted with it."""
from __future__ import annotations

from datetime import date

from conftest import rules_from
from rostering.checking import check_roster
from rostering.problem import Problem
from rostering.roster import Roster
from rostering.search import feasible_roster, solve_feasible_first
from rostering.solve import solve

RULES = """
organization: test
locale: en
shifts:
  - {id: E, windows: "06:00-14:00"}
  - {id: L, windows: "14:00-22:00"}
staff:
  - {name: A, max_consecutive_days: 3, min_consecutive_days_off: 2, max_minutes: 2880,
     requests: [{date: 2024-01-03, shift: E, want: "on", weight: 4}]}
  - {name: B, max_consecutive_days: 4, min_minutes: 1920, max_shifts: {L: 2}}
  - {name: C, max_weekends: 1}
rules:
  forbidden_successions: [{shift: L, next: [E]}]
  cover: [{shift: E, need: 1, under: 100, over: 1}, {shift: L, need: 1, under: 50, over: 1}]
fairness: {weight: 0}
"""
START, END = date(2024, 1, 1), date(2024, 1, 14)


def problem() -> Problem:
    return Problem(rules_from(RULES), START, END)


def test_feasible_roster_keeps_every_hard_rule():
    p = problem()
    roster = feasible_roster(p, time_limit=5, workers=1)
    assert roster is not None and check_roster(p.rules, roster, p).ok


def test_feasible_first_reaches_the_same_optimum_as_plain_solve():
    p = problem()
    plain = solve(p, time_limit=10, workers=1, explain=False, rolling=False)
    hinted = solve_feasible_first(p, time_limit=10, workers=1, min_keys=0, explain=False, rolling=False)
    assert plain.status.value == hinted.status.value == "optimal"
    assert hinted.objective == plain.objective == check_roster(p.rules, hinted.roster, p).penalty


def test_a_hint_that_breaks_a_hard_rule_is_repaired():
    p = problem()
    bad = Roster(START, END, [])  # nobody works: B's minimum minutes and the cover are not met
    result = solve(p, time_limit=10, workers=1, explain=False, rolling=False, hint=bad)
    assert result.found and check_roster(p.rules, result.roster, p).ok


# -- roster-shaped neighbourhoods and the person-by-person start ---------------------------------

from rostering.neighbourhoods import NeighbourhoodSearch  # noqa: E402
from rostering.search import person_by_person, solve_in_neighbourhoods  # noqa: E402


def price(p: Problem, roster: Roster) -> int:
    report = check_roster(p.rules, roster, p)
    assert report.ok, [v.message for v in report.hard]
    return report.penalty


def test_person_by_person_keeps_every_hard_rule_and_fills_what_earlier_people_left():
    p = problem()
    roster, cost = person_by_person(p, time_limit=10, workers=1)
    assert cost == price(p, roster)  # its own pricing agrees with `check`
    on_days = {(a.date, a.shift) for a in roster.assignments}
    assert len(on_days) > 20  # the later people cover slots the first ones left open (28 slots in all)


def test_person_by_person_declines_when_a_hard_rule_ties_people_together():
    hard_cover = RULES.replace("cover: [{shift: E, need: 1, under: 100, over: 1}, {shift: L, need: 1, under: 50, over: 1}]",
                               "min_rest_hours: 8")  # no cover targets: every slot's headcount is a hard rule
    p = Problem(rules_from(hard_cover), START, END)
    assert person_by_person(p, time_limit=5, workers=1) is None


def test_person_by_person_finds_nothing_when_someone_who_can_take_nothing_has_a_minimum():
    """B's minimum minutes cannot be met while B is away the whole fortnight: no valid roster,
    though B has no assignment to choose (personal rules are listed for everyone, not only
    for the people with a choice)."""
    away = RULES.replace("max_shifts: {L: 2}}", "max_shifts: {L: 2}, unavailable: [{from: 2024-01-01, to: 2024-01-14}]}")
    p = Problem(rules_from(away), START, END)
    assert not p.keys_by_person["B"]
    assert person_by_person(p, time_limit=5, workers=1) is None


def test_neighbourhood_search_improves_a_poor_start_and_check_prices_it_the_same():
    p = problem()
    start, _ = person_by_person(p, time_limit=5, workers=1)
    worse = Roster(START, END, [a for a in start.assignments if a.person != "C"])  # C off: still valid, dearer
    before = price(p, worse)
    search = NeighbourhoodSearch(p, worse, seed=1, threads=2)
    roster = search.run(8, step_seconds=0.5)
    after = price(p, roster)
    assert after == search.objective and after < before
    optimum = solve(p, time_limit=10, workers=1, explain=False, rolling=False)
    assert optimum.status.value == "optimal" and after >= optimum.objective


def test_a_start_whose_cost_is_known_is_not_priced_again(monkeypatch):
    from rostering.neighbourhoods import _ModelCopy
    p = problem()
    start, _ = person_by_person(p, time_limit=5, workers=1)
    worse = Roster(START, END, [a for a in start.assignments if a.person != "C"])
    solved = []
    original = _ModelCopy.solve
    monkeypatch.setattr(_ModelCopy, "solve", lambda self, values, free, *a: solved.append(len(free))
                        or original(self, values, free, *a))
    search = NeighbourhoodSearch(p, worse, seed=1, threads=1)
    roster = search.run(3, step_seconds=0.5, objective=price(p, worse))
    assert solved and 0 not in solved  # every search freed something: none only priced the start
    assert price(p, roster) == search.objective < price(p, worse)


def test_neighbourhoods_aim_at_the_people_who_could_repair_a_penalty():
    p = problem()
    day1, day2, day3 = date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)
    from rostering.roster import Assignment
    roster = Roster(START, END, [Assignment(day2, "E", "A"), Assignment(day2, "E", "B"),  # E over-covered
                                 Assignment(day3, "L", "C")])  # A asked for E on day 3: unmet
    search = NeighbourhoodSearch(p, roster, seed=1)
    due = search._costs()
    by_date = {}
    for day, people in due:
        by_date.setdefault(day, []).append(set(people))
    assert {"A", "B", "C"} in by_date[day1]  # E short on day 1: anyone could take it
    assert {"A", "B"} in by_date[day2]  # E over on day 2: only those on it can leave it
    assert by_date[day3] == [{"A", "B", "C"}, {"A"}]  # E short (C could leave L for it); A's request


def test_a_weekly_neighbourhood_frees_the_same_weekdays_in_every_week():
    """Weekend limits and totals tie a week's Friday to Sunday to every other week's: the weekly
    shape frees a run of weekdays across the whole range, and adapts how many people it frees."""
    p = problem()  # two weeks
    start, _ = person_by_person(p, time_limit=5, workers=1)
    search = NeighbourhoodSearch(p, start, seed=3)
    weekly = next(shape for shape in search.shapes if shape.weekly)
    weekly.people, weekly.days = 3, 3
    for _ in range(20):
        dates = {search.keys[i][1] for i in search._pick(weekly)}
        weekdays = {d.weekday() for d in dates}
        assert any(weekdays == {(first + k) % 7 for k in range(3)} for first in range(7))
        assert dates == {d for d in search.dates if d.weekday() in weekdays}  # in both weeks
    weekly.adapt(0.5, most_people=3, most_days=7)
    assert (weekly.people, weekly.days) == (1.5, 3)  # a step that ran out of time frees fewer people


def test_the_everyone_step_waits_until_the_rotation_stalls_and_runs_one_at_a_time():
    """Everyone on three weekdays is a big step: taken when the last rounds gained little, by one
    thread at a time, and not again until as many rounds have passed."""
    from rostering.neighbourhoods import SLOW_GAIN, SLOW_ROUNDS
    p = problem()
    start, _ = person_by_person(p, time_limit=5, workers=1)
    search = NeighbourhoodSearch(p, start, seed=3)
    assert search.everyone is not None and search.everyone.people == len(search.people)

    def round_(objective: float) -> bool:
        search.objective = objective
        due = search._everyone_due()
        search.rounds += 1
        return due

    assert not any(round_(1000 - k) for k in range(SLOW_ROUNDS))  # gaining 1 a round: 2 % over the window
    assert not round_(1000 - SLOW_ROUNDS)  # still gaining 2 %
    flat = [round_(980 - k * SLOW_GAIN) for k in range(SLOW_ROUNDS + 1)]  # gaining a tenth of SLOW_GAIN
    assert flat.index(True) < SLOW_ROUNDS and flat.count(True) == 1  # once stalled, and only while not busy
    assert search.everyone_busy
    search.everyone_busy, search.everyone_ended = False, search.rounds
    assert not any(round_(979) for _ in range(SLOW_ROUNDS))  # waits after the last one ended
    assert round_(979)


def test_the_everyone_step_frees_everyone_on_a_penalty_s_weekdays_in_every_week():
    p = problem()
    from rostering.roster import Assignment
    roster = Roster(START, END, [Assignment(date(2024, 1, 2), "E", "A")])  # every other shift short
    search = NeighbourhoodSearch(p, roster, seed=3)
    search.values = [int(k == ("A", date(2024, 1, 2), "E")) for k in search.keys]
    for _ in range(10):
        free = search._pick(search.everyone)
        weekdays = {search.keys[i][1].weekday() for i in free}
        assert len(weekdays) == 3 and {search.keys[i][0] for i in free} == {"A", "B", "C"}
        assert free == {i for i, k in enumerate(search.keys) if k[1].weekday() in weekdays}  # both weeks, all slots


def test_a_step_that_clashes_with_another_thread_s_move_keeps_its_own_roster_when_better():
    """Two threads may free overlapping parts. When a step's change, put into the roster another
    thread moved on to, breaks a rule or costs more than the step's own roster, that own roster is
    taken if it beats the current one, undoing the other move where they differ."""
    from rostering.neighbourhoods import Shape, _ModelCopy
    p = problem()
    start, _ = person_by_person(p, time_limit=5, workers=1)
    search = NeighbourhoodSearch(p, start, seed=3)
    worker = _ModelCopy(search, search.model.cp)
    _, own_value, _ = worker.solve(search.values, set(), 5, 0, 0)
    own = list(search.values)
    # the other thread's move, accepted meanwhile: nobody works on the first day
    other = {i for i, k in enumerate(search.keys) if k[1] == START and search.values[i]}
    assert other
    for i in other:
        search.values[i] = 0
    search.version, search.changes, search.objective = 1, [other], own_value + 100
    # this step ran from version 0 and changed nothing: its own roster is the start
    search._merge(worker, own, 0, {}, own_value, list(search.values), 1, 5, 0, Shape("x", 1, 1), None, 0)
    assert search.version == 2 and search.values == own and search.objective == own_value
    assert price(p, search.roster()) == own_value

def test_solve_in_neighbourhoods_reports_the_bound_and_proves_when_it_meets_it():
    p = problem()
    result = solve_in_neighbourhoods(p, time_limit=10, workers=2, first_share=0.5, rolling=False, whole_below=0,
                                     columns_share=0)  # started by a first search
    assert result.found and result.objective == price(p, result.roster)
    assert result.bound <= result.objective
    whole = solve_in_neighbourhoods(p, time_limit=10, workers=2, rolling=False)  # small: one search
    assert whole.status.value == "optimal" and whole.objective == price(p, whole.roster)
    assert result.bound <= whole.objective <= result.objective
    big = solve_in_neighbourhoods(p, time_limit=10, workers=2, min_keys=0, first_share=0.3, rolling=False,
                                  whole_below=0)
    assert big.found and big.objective == price(p, big.roster)  # started person by person


def test_a_start_the_neighbourhoods_had_no_time_to_price_keeps_its_own_cost(monkeypatch):
    monkeypatch.setattr(NeighbourhoodSearch, "run", lambda self, *a, **k: self.roster())  # priced nothing
    p = problem()
    for first_share, min_keys in ((0.3, 0), (0.5, 10**9)):  # started person by person / by one search
        result = solve_in_neighbourhoods(p, time_limit=10, workers=2, min_keys=min_keys, first_share=first_share,
                                         rolling=False, whole_below=0, columns_share=0)
        assert result.found and result.objective == price(p, result.roster)


def test_a_first_search_that_finds_nothing_in_time_falls_back_on_a_roster_built_person_by_person(monkeypatch):
    """The first search's few seconds may find no roster on a slow machine; where every hard rule
    binds one person, a roster built person by person is then the neighbourhoods' start. A proven
    infeasible model gets no such second try."""
    import rostering.search as search_module
    from rostering.solve import Result, Status
    for status in (Status.UNKNOWN, Status.INFEASIBLE):
        built = []
        original = search_module.person_by_person
        monkeypatch.setattr(search_module, "solve", lambda problem, status=status, **k: Result(status, None, None, None, 0.1))
        monkeypatch.setattr(search_module, "person_by_person",
                            lambda problem, *a: built.append(a) or original(problem, *a))
        p = problem()
        result = solve_in_neighbourhoods(p, time_limit=6, workers=2, first_share=0.3, rolling=False, whole_below=0,
                                         columns_share=0)
        if status is Status.UNKNOWN:
            assert len(built) == 1 and result.found and result.objective == price(p, result.roster)
            assert result.status is Status.FEASIBLE and result.bound == 0.0  # nothing proven
        else:
            assert not built and result.status is Status.INFEASIBLE and result.roster is None


def test_the_split_by_person_keeps_what_a_person_model_needs():
    """Cover is shared, and only soft rules are; each person's terms are their own (a shared
    rule's cut to candidates); a requirement on no candidate that holds as it stands is left out."""
    from rostering.constraints import Requirement, rules_for
    from rostering.search import _split_by_person
    p = problem()
    ineligible = Requirement("eligibility", ((("Z", START, "E"), 1),), hi=0)  # no variable there: nothing to post
    requirements = [req for rule in rules_for(p) for req in rule.requirements(p)] + [ineligible]
    own, shared = _split_by_person(p, requirements)
    assert set(own) == {"A", "B", "C"}
    assert all(requirements[n].weight is not None for n in shared)
    cover = [n for n, req in enumerate(requirements) if req.rule == "cover_target"]
    assert cover and set(cover) <= shared
    candidates = set(p.keys)
    for name, items in own.items():
        for n, terms in items:
            assert all(key[0] == name for key, _ in terms)
            assert n not in shared or all(key in candidates for key, _ in terms)  # shared: cut to candidates
    listed = {n for items in own.values() for n, _ in items}
    assert len(requirements) - 1 not in listed
    assert any(requirements[n].rule == "runs" for n, _ in own["A"])


def test_the_split_by_person_declines_a_hard_rule_broken_whatever_anyone_does():
    from rostering.constraints import Requirement
    from rostering.search import _split_by_person
    p = problem()
    nobody = Requirement("coverage", ((("Z", START, "E"), 1),), lo=1)  # no such candidate: it can never hold
    assert _split_by_person(p, [nobody])[0] is None
    soft = Requirement("cover_target", ((("Z", START, "E"), 1),), lo=1, weight=5)
    assert _split_by_person(p, [soft]) == ({}, set())  # a constant cost: nothing to choose


def test_a_shared_price_follows_what_the_people_placed_so_far_add():
    """The price of taking a slot falls once someone placed earlier fills it."""
    from rostering.search import _PersonModels
    p = problem()
    parts = _PersonModels(p)
    parts.own_part("A"), parts.own_part("B")  # each sorts the person's shared requirements
    slot = ("A", START, "E")
    n = next(n for n, ((key, _),) in parts.priced["A"] if key == slot
             and parts.requirements[n].lo is not None)
    empty = parts._price(n, 1)
    assert empty == -100  # one under-covered E shift less
    parts.place("B", {("B", START, "E")}, [])
    assert parts._price(n, 1) == 0  # B holds it now: A taking it too changes nothing below the need


def test_person_by_person_declines_when_a_person_has_no_valid_schedule():
    """B must work more minutes than the fortnight holds: neither local nor complete search finds a schedule."""
    impossible = RULES.replace("min_minutes: 1920", "min_minutes: 99999")
    p = Problem(rules_from(impossible), START, END)
    assert person_by_person(p, time_limit=5, workers=1) is None


def test_a_person_model_for_any_schedule_keeps_the_same_schedules():
    """`own_part(any_schedule=True)` (for a local search for any valid schedule) leaves out what
    `tighten` adds and posts hard "at most one" counts in CP-SAT's own form: fewer constraints, and
    the light and the full model take the same schedules (30 of each checked in the other)."""
    from ortools.sat.python import cp_model
    from rostering.search import _PersonModels
    p = Problem(rules_from(RULES.replace('"14:00-22:00"', '"13:00-21:00"')), START, END)  # one duty a day
    parts = _PersonModels(p)
    full, *_ = parts.own_part("A")
    light, *_ = parts.own_part("A", any_schedule=True)
    assert len(light.cp.proto.constraints) < len(full.cp.proto.constraints)  # A has hard runs: tighten adds some
    assert any(c.has_at_most_one() for c in light.cp.proto.constraints)
    assert not any(c.has_at_most_one() for c in full.cp.proto.constraints)

    class Schedules(cp_model.CpSolverSolutionCallback):
        """The first 30 schedules of a model, as values of its x variables."""

        def __init__(self, model):
            super().__init__()
            self.model, self.found = model, []

        def on_solution_callback(self):
            self.found.append([self.boolean_value(v) for v in self.model.x.values()])
            if len(self.found) >= 30:
                self.stop_search()

    for source, other in ((light, full), (full, light)):
        source.cp.clear_objective()
        solver = cp_model.CpSolver()
        solver.parameters.enumerate_all_solutions = True
        seen = Schedules(source)
        solver.solve(source.cp, seen)
        assert len(seen.found) == 30
        for values in seen.found:
            fixed = other.cp.clone()
            for var, value in zip(other.x.values(), values):
                fixed.add(fixed.get_bool_var_from_proto_index(var.index) == value)
            assert cp_model.CpSolver().solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _small_model():
    from ortools.sat.python import cp_model
    cp = cp_model.CpModel()
    xs = [cp.new_bool_var(f"x{i}") for i in range(6)]
    cp.add(sum(xs) == 3)
    return cp


def test_faster_settings_alternate_for_their_trials_then_take_the_faster():
    from rostering.search import FasterSettings
    chooser = FasterSettings({}, {}, trials=2)
    picks = []
    for _ in range(4):
        picks.append(chooser.choice())
        chooser.times[picks[-1]].append(0.5 if picks[-1] == 0 else 0.1)
    assert picks == [0, 1, 0, 1]
    assert chooser.choice() == 1  # the second was faster
    chooser.times[1].extend([2.0, 2.0])  # then it slowed down
    assert chooser.choice() == 0


def test_faster_settings_repeat_a_failed_second_search_with_the_first_and_charge_it():
    from rostering.search import FasterSettings
    chooser = FasterSettings({}, {"stop_after_presolve": True}, trials=1)  # the second never finds anything
    solver, found = chooser.solve(_small_model(), 5.0, 0)
    assert found and len(chooser.times[0]) == 1 and not chooser.times[1]
    solver, found = chooser.solve(_small_model(), 5.0, 0)  # the second's turn: it fails, the first finds
    assert found and sum(solver.response_proto.solution) == 3  # the first setting's solution
    assert len(chooser.times[0]) == 2 and len(chooser.times[1]) == 1
    assert chooser.times[1][0] >= chooser.times[0][1]  # charged with the first's repeat as well
    solver, found = chooser.solve(_small_model(), 5.0, 0, choose=False)  # the first alone, not counted
    assert found and len(chooser.times[0]) == 2 and len(chooser.times[1]) == 1
