"""A sketch for the next step on column generation: pricing by dynamic programming, checked and timed.

Column generation (`rostering/columns.py`) prices each person with a CP-SAT search; on Curtois & Qu
Instance12 that is most of its time. This script prices the same people at random duals with a numpy
dynamic program over their days (state: whether the current run began on day 0, last shift, run
length, shifts so far, weekends so far, shifts of the one binding type so far) and with the project's
own pricing search, and prints both values and the time each took.

Only instances whose shifts are all the same length and whose people have at most one binding
per-type maximum (Instance12) fit the sketch; it exits with a message otherwise. It traces back no
schedule, only the least value.

    python benchmarks/pricing_by_dp.py FILE [SEED] [PEOPLE]
"""
from __future__ import annotations

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from curtois_qu import START, Instance, read_instance, to_problem, to_rules  # noqa: E402
from rostering.columns import _Person  # noqa: E402
from rostering.search import _PersonModels  # noqa: E402

INF = 1e18


def least_value(inst: Instance, person: dict, cost: np.ndarray) -> float:
    """The least total of `cost[day, shift]` over the person's valid schedules (the format's hard rules,
    with runs touching the horizon's first or last day exempt from the minimum lengths)."""
    ids = [s[0] for s in inst.shifts]
    kinds, length = len(ids), inst.shifts[0][1]
    follows = np.ones((kinds, kinds), bool)  # follows[s, t]: t may come the day after s
    for i, (_, _, forbidden) in enumerate(inst.shifts):
        for other in forbidden:
            follows[i, ids.index(other)] = False
    most, least = person["max_minutes"] // length, -(-person["min_minutes"] // length)
    longest, weekends = person["max_run"], person["max_weekends"]
    min_run, min_off = person["min_run"], person["min_off"]
    works = [person["max_shifts"].get(s, 0) > 0 for s in ids]
    binding = [i for i, s in enumerate(ids) if 0 < person["max_shifts"].get(s, 0) < most]
    if len(binding) > 1:
        sys.exit(f"{inst.name}: person {person['id']} has {len(binding)} binding per-type maxima; the sketch takes one")
    kind = binding[0] if binding else None
    counted = person["max_shifts"][ids[kind]] + 1 if binding else 1
    off_days = set(inst.days_off.get(person["id"], []))
    # work[began on day 0, last shift, run length - 1, shifts, weekends, shifts of the binding type]
    work = np.full((2, kinds, longest, most + 1, weekends + 1, counted), INF)
    off = np.full((min_off, most + 1, weekends + 1, counted), INF)  # [days off in a row - 1 (capped), ...]
    off[min_off - 1, 0, 0, 0] = 0.0  # nothing is assumed before day 0: a run may start there
    for day in range(inst.horizon):
        new_work, new_off = np.full_like(work, INF), np.full_like(off, INF)
        new_off[0] = np.minimum(work[0, :, min_run - 1:].min(axis=(0, 1)), work[1].min(axis=(0, 1)))
        if min_off > 1:
            new_off[1:] = off[:-1]
        new_off[min_off - 1] = np.minimum(new_off[min_off - 1], off[min_off - 1])
        if day not in off_days:
            for t in range(kinds):
                if not works[t]:
                    continue
                for from_start in (0, 1):
                    before = np.where(follows[:, t][:, None, None, None, None], work[from_start, :, :longest - 1], INF)
                    reach = np.full((longest,) + off.shape[1:], INF)
                    if from_start == int(day == 0):
                        reach[0] = off[min_off - 1]
                    reach[1:] = before.min(axis=0)
                    grown = np.full_like(reach, INF)
                    grown[:, 1:] = reach[:, :-1]  # one more shift
                    if day % 7 == 5:  # Saturday worked: one more weekend
                        grown[:, :, 1:], grown[:, :, 0] = grown[:, :, :-1].copy(), INF
                    elif day % 7 == 6:  # Sunday: a new weekend only where Saturday was off (a run of one)
                        grown[0, :, 1:], grown[0, :, 0] = grown[0, :, :-1].copy(), INF
                    if t == kind:
                        grown[..., 1:], grown[..., 0] = grown[..., :-1].copy(), INF
                    new_work[from_start, t] = grown + cost[day, t]
        work, off = new_work, new_off
    return float(min(work[:, :, :, least:].min(), off[:, least:].min()))


def main(path: str, seed: int = 0, people: int = 10) -> None:
    inst = read_instance(Path(path))
    if len({minutes for _, minutes, _ in inst.shifts}) > 1:
        sys.exit(f"{inst.name}: shifts of different lengths; the sketch counts shifts")
    problem = to_problem(inst, to_rules(inst))
    parts = _PersonModels(problem)
    draw = random.Random(seed)
    duals = {n: draw.uniform(0, parts.requirements[n].weight) * (draw.random() < 0.5) for n in parts.tying}
    ids = [s[0] for s in inst.shifts]
    gaps, dp_seconds, search_seconds = [], [], []
    for person in inst.staff[:people]:
        priced = _Person(parts, person["id"])
        base = priced.cost(frozenset())
        cost = np.zeros((inst.horizon, len(ids)))
        for day in range(inst.horizon):
            for t, shift in enumerate(ids):
                one = frozenset({(person["id"], START + timedelta(days=day), shift)})
                cost[day, t] = priced.cost(one) - base - sum(c * duals.get(n, 0.0) for n, c in priced.counts(one).items())
        began = time.perf_counter()
        value = least_value(inst, person, cost) + base
        dp_seconds.append(time.perf_counter() - began)
        began = time.process_time()
        keys, _, proven = priced.price(duals, 30.0, 0)
        search_seconds.append(time.process_time() - began)
        best = priced.reduced(keys, duals)
        gaps.append(value - best)
        print(f"{person['id']}: dynamic program {value:.3f}, CP-SAT {best:.3f} (proven {proven})", flush=True)
    print(f"largest difference {max(abs(g) for g in gaps):.4f}; dynamic program {1000 * np.mean(dp_seconds):.1f} ms, "
          f"CP-SAT {1000 * np.mean(search_seconds):.1f} ms CPU a person")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:4]))
