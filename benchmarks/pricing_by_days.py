"""Pricing by days against pricing by search: the same least cost, and the time each takes.

Column generation (`rostering/columns.py`) prices each person by dynamic programming over their days
(`rostering/day_program.py`) where their rules fit it, and by a CP-SAT search otherwise. This script
prices the first people of a Curtois & Qu instance both ways at random duals (each tying rule's price
drawn in [0, its weight], half of them 0) and prints both least costs and the mean time a person.

    python benchmarks/pricing_by_days.py FILE [SEED] [PEOPLE]
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from curtois_qu import read_instance, to_problem, to_rules  # noqa: E402
from rostering.columns import _Person  # noqa: E402
from rostering.search import _PersonModels  # noqa: E402

DRAWS = 2


def main(path: str, seed: int = 0, people: int = 10) -> int:
    inst = read_instance(Path(path))
    problem = to_problem(inst, to_rules(inst))
    parts = _PersonModels(problem)
    if parts.own is None:
        print(f"{inst.name}: a hard rule ties several people; no column generation")
        return 1
    draw = random.Random(seed)
    worst, by_days, by_search = 0.0, [], []
    for _ in range(DRAWS):
        duals = {n: draw.uniform(0, parts.requirements[n].weight) * (draw.random() < 0.5) for n in parts.tying}
        for p in problem.people[:people]:
            person = _Person(parts, p.name)
            if person.by_days is None:
                print(f"{p.name}: no day program (two duties a day, a leader's duty, or too many states)")
                continue
            began = time.perf_counter()
            found = person.by_days.price(person, duals)
            by_days.append(time.perf_counter() - began)
            person.by_days = None
            began = time.process_time()
            keys, _, proven = person.price(duals, 30.0, seed)
            by_search.append(time.process_time() - began)
            best = person.reduced(keys, duals)
            if found is None:
                print(f"{p.name}: the program's schedule breaks a rule it leaves out; search {best:.3f}")
                continue
            worst = max(worst, abs(found[1] - best))
            print(f"{p.name}: by days {found[1]:.3f}, by search {best:.3f} (proven {proven})", flush=True)
    if not by_days:
        return 1
    print(f"largest difference {worst:.2e}; by days {1000 * sum(by_days) / len(by_days):.1f} ms, "
          f"by search {1000 * sum(by_search) / len(by_search):.1f} ms CPU a person")
    return 0 if worst < 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], *(int(a) for a in sys.argv[2:4])))
