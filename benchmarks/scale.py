"""Scale benchmark on synthetic offices (not a test): status, objective, bound, time, peak memory.

    python benchmarks/scale.py [--only NAME] [--time-limit S] [--workers N]

Each case runs in its own process so peak memory is that case's own. Results go to
benchmarks/results/scale.md and scale.json.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = {  # name: (staff, first day, last day, target seconds)
    "40x1month": (40, date(2026, 10, 1), date(2026, 10, 31), 2),
    "80x1month": (80, date(2026, 10, 1), date(2026, 10, 31), 5),
    "80x12months": (80, date(2026, 1, 1), date(2026, 12, 31), 60),
}


def synthetic_rules(staff: int, start: date, end: date, seed: int = 7):
    """A city office: duty section by day and night, others in the evening and on rest days, leaders."""
    from rostering.rules import RosterRules
    rng = random.Random(seed)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    leaders = max(3, staff // 12)
    duty = max(8, staff // 4)
    people = []
    for i in range(staff):
        name = surnames[i % len(surnames)] + given[(i * 7) % len(given)] + str(i)
        if i < leaders:
            people.append({"name": name, "group": "办公室领导", "roles": ["leader"]})
            continue
        group = "总值班科" if i < leaders + duty else rng.choice(["综合科", "秘书科", "信息科"])
        person = {"name": name, "group": group, "phone": f"138{i:08d}"}
        if rng.random() < 0.25:
            day = start + timedelta(days=rng.randint(0, (end - start).days))
            person["unavailable"] = [{"from": day.isoformat(), "to": (day + timedelta(days=rng.randint(1, 6))).isoformat(),
                                      "reason": "年假"}]
        people.append(person)
    return RosterRules.model_validate({
        "organization": f"合成办公室{staff}",
        "shifts": [
            {"id": "day", "name": "白班", "windows": "08:30-18:00", "groups": ["总值班科"], "days": ["workday", "adjusted_workday"]},
            {"id": "evening", "name": "晚班", "windows": "18:00-20:30", "exclude_groups": ["总值班科", "办公室领导"],
             "days": ["workday", "adjusted_workday"]},
            {"id": "night", "name": "夜班", "windows": "20:30-08:30", "groups": ["总值班科"]},
            {"id": "rest_day", "name": "节假日白班", "windows": "08:30-20:30", "exclude_groups": ["总值班科", "办公室领导"],
             "days": ["weekend", "holiday"]},
        ],
        "leaders": [{"roles": ["leader"]}],
        "staff": people,
        "rules": {"min_rest_hours": 12, "max_consecutive_nights": 2,
                  "limits": [{"per": "week", "max": 3}]},
    })


def run_case(name: str, time_limit: float, workers: int, queue) -> None:
    from rostering.checking import check_roster
    from rostering.problem import Problem
    from rostering.solve import solve
    staff, start, end, target = CASES[name]
    t0 = time.perf_counter()
    rules = synthetic_rules(staff, start, end)
    problem = Problem(rules, start, end)
    result = solve(problem, time_limit=time_limit, workers=workers, explain=False)
    ok = check_roster(rules, result.roster, problem).ok if result.roster else None
    queue.put({"case": name, "staff": staff, "days": (end - start).days + 1, "status": result.status.value,
               "objective": result.objective, "bound": result.bound, "solve_seconds": round(result.seconds, 2),
               "total_seconds": round(time.perf_counter() - t0, 2), "target_seconds": target,
               "check_ok": ok, "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})


def machine() -> str:
    import os
    import ortools
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, OR-Tools {ortools.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES))
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = []
    for name in ([args.only] if args.only else CASES):
        queue = mp.get_context("spawn").Queue()
        proc = mp.get_context("spawn").Process(target=run_case, args=(name, args.time_limit, args.workers, queue))
        proc.start()
        row = queue.get()
        proc.join()
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps({"machine": machine(), "rows": rows}, ensure_ascii=False, indent=1))
    lines = [f"# Scale benchmark\n\nMachine: {machine()}; {args.workers} workers, time limit {args.time_limit:g} s.\n",
             "| case | status | objective | bound | solve s | total s | target s | check | peak MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['case']} | {r['status']} | {r['objective']} | {r['bound']} | {r['solve_seconds']} | "
                     f"{r['total_seconds']} | {r['target_seconds']} | {r['check_ok']} | {r['peak_mb']} |")
    (out / "scale.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
