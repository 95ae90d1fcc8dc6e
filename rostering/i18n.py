"""User-facing text in Chinese (default) and English, one catalogue so both stay in step."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # rules validation
    "yaml_syntax": ("YAML 语法错误：{detail}", "YAML syntax error: {detail}"),
    "yaml_syntax_hint": ("检查缩进和冒号；用空格缩进，不要用 Tab", "check indentation and colons; indent with spaces, not tabs"),
    "not_mapping": ("规则文件的顶层必须是键值对（organization、shifts、staff …）",
                    "the rules file must be a mapping at the top (organization, shifts, staff …)"),
    "file_missing": ("找不到文件", "file not found"),
    "missing_key": ("缺少必填项 {key}", "missing required key {key}"),
    "unknown_key": ("未知的键 {key}", "unknown key {key}"),
    "did_you_mean": ("是否想写 {suggestion}？", "did you mean {suggestion}?"),
    "wrong_value": ("取值不对：{detail}", "wrong value: {detail}"),
    "unknown_group": ("未知的组 {name}", "unknown group {name}"),
    "unknown_role": ("未知的角色 {name}", "unknown role {name}"),
    "unknown_person": ("未知的人员 {name}", "unknown person {name}"),
    "unknown_shift": ("未知的班次 {name}", "unknown shift {name}"),
    "unknown_period": ("未知的时段 {name}", "unknown period {name}"),
    "duplicate_person": ("人员 {name} 重复出现", "person {name} is listed twice"),
    "duplicate_shift": ("班次 id {name} 重复", "shift id {name} is used twice"),
    "nobody_eligible": ("没有人能值 {shift}", "nobody may take {shift}"),
    "nobody_eligible_hint": ("检查 groups/roles/people 是否与人员名单一致",
                             "check that its groups/roles/people match the staff list"),
    "no_leader_for": ("{kinds} 没有带班领导档次", "no leader-on-duty tier covers {kinds}"),
    "no_leader_hint": ("在 leaders 下为这些日子加一档", "add a tier under leaders for these days"),
    "leader_no_candidates": ("带班领导档次 {tier} 没有候选人", "leader tier {tier} has no candidates"),
    "overlapping_windows": ("时间段重叠：{detail}", "time windows overlap: {detail}"),
    "staff_file_bad": ("人员表无法读取：{detail}", "staff list cannot be read: {detail}"),
    "staff_file_column": ("人员表缺少“姓名/name”列", "the staff list needs a 姓名/name column"),
    "fix_rules": ("请修改规则文件后重试", "fix the rules file and try again"),
    # calendar
    "kind_workday": ("工作日", "Workday"),
    "kind_adjusted_workday": ("调休上班", "Adjusted workday"),
    "kind_weekend": ("休息日", "Weekend"),
    "kind_holiday": ("节假日", "Holiday"),
    "no_adjusted_data": (
        "警告：已安装的节假日数据没有 {year} 年的调休安排（国务院通常在每年 11 月公布）。"
        "请在规则文件 calendar.extra_holidays / calendar.extra_workdays 中补充，或升级 holidays 包。",
        "warning: the installed holiday data has no swapped-workday (调休) schedule for {year} "
        "(the State Council publishes it each November). Add calendar.extra_holidays / "
        "calendar.extra_workdays to the rules file, or upgrade the holidays package."),
    # rule names
    "rule_coverage": ("人数要求", "Coverage"),
    "rule_eligibility": ("值班资格", "Eligibility"),
    "rule_unavailable": ("请假/不可值班", "Unavailability"),
    "rule_overlap": ("时间不重叠", "No overlapping shifts"),
    "rule_rest": ("最短休息时间", "Minimum rest"),
    "rule_consecutive_days": ("最多连续值班天数", "Max consecutive duty days"),
    "rule_consecutive_nights": ("最多连续夜班", "Max consecutive nights"),
    "rule_limit": ("值班次数上限/下限", "Duty count limits"),
    "rule_rotation": ("轮值周期", "Rotation cycle"),
    "rule_fairness": ("公平性", "Fairness"),
    # violations
    "v_coverage_under": ("{date} {shift} 需要 {need} 人，只排了 {have} 人", "{date} {shift} needs {need}, has {have}"),
    "v_coverage_over": ("{date} {shift} 只要 {need} 人，排了 {have} 人", "{date} {shift} needs {need}, has {have}"),
    "v_coverage_fix": ("补足或删去人员", "add or remove people"),
    "v_eligibility": ("{person} 不能值 {date} {shift}（{why}）", "{person} may not take {date} {shift} ({why})"),
    "v_eligibility_fix": ("换成符合条件的人", "give it to an eligible person"),
    "why_group": ("只限 {allowed}", "only {allowed}"),
    "why_day": ("该班次不在 {kind} 安排", "the shift does not run on a {kind}"),
    "why_unknown": ("名单中没有此人", "not on the staff list"),
    "v_unavailable": ("{person} {date} 不可值班（{reason}）", "{person} is unavailable on {date} ({reason})"),
    "v_unavailable_fix": ("请找人代班", "find a substitute"),
    "v_overlap": ("{person} 在 {date} 同时值 {shifts}", "{person} holds overlapping shifts {shifts} on {date}"),
    "v_overlap_fix": ("同一时间只能值一个班", "one person can hold only one shift at a time"),
    "v_rest": ("{person} 在 {shifts} 之间休息不足 {hours} 小时", "{person} rests less than {hours} h between {shifts}"),
    "v_rest_fix": ("把其中一个班交给别人", "give one of them to someone else"),
    "v_consecutive": ("{person} 自 {date} 起连续值班超过 {limit} 天", "{person} is on duty more than {limit} days in a row from {date}"),
    "v_consecutive_nights": ("{person} 自 {date} 起连续夜班超过 {limit} 个", "{person} has more than {limit} nights in a row from {date}"),
    "v_consecutive_fix": ("在中间安排休息", "put a rest day in between"),
    "v_limit_max": ("{person} 在 {span} 值班 {have} 次，超过上限 {bound}", "{person} has {have} duties in {span}, above the maximum {bound}"),
    "v_limit_min": ("{person} 在 {span} 值班 {have} 次，少于下限 {bound}", "{person} has {have} duties in {span}, below the minimum {bound}"),
    "v_limit_fix": ("调整给其他人", "move duties between people"),
    "v_rotation": ("{span} 的 {shift} 应由同一人整周值班，现为 {people}", "{shift} in {span} should be held by one person for the whole week, now {people}"),
    "v_rotation_fix": ("整周交给同一人", "give the whole week to one person"),
    "v_fairness": ("{group} 组内负荷差为 {spread}", "load spread in {group} is {spread}"),
    # solver
    "status_optimal": ("最优", "optimal"),
    "status_feasible": ("可行", "feasible"),
    "status_infeasible": ("无解", "infeasible"),
    "status_unknown": ("未知（时间不够）", "unknown (time limit)"),
    "capacity_short": ("{date} {shift} 需要 {need} 人，但可排的只有 {have} 人{detail}",
                       "{date} {shift} needs {need} but only {have} can take it{detail}"),
    "capacity_unavailable": ("（{n} 名符合条件的人员不可值班）", " ({n} eligible people are unavailable)"),
    "infeasible_head": ("规则无法同时满足。相互冲突的规则：", "The rules cannot all be met. Conflicting rules:"),
    "infeasible_unknown": ("在时间限制内未找到可行排班，请放宽时间限制或规则",
                           "no roster found within the time limit; allow more time or relax the rules"),
    "wrote": ("已写入 {path}", "wrote {path}"),
    "exists": ("{path} 已存在；加 --force 覆盖", "{path} exists; use --force to overwrite"),
    "summary_person": ("姓名", "Person"),
    "summary_group": ("组", "Group"),
    "summary_total": ("合计", "Total"),
    "summary_load": ("加权负荷", "Weighted load"),
}


def t(msg_id: str, locale: str = "zh", **kwargs: object) -> str:
    """The message `msg_id` in `locale` ('zh' or 'en'), formatted with kwargs."""
    zh, en = MESSAGES[msg_id]
    text = en if locale == "en" else zh
    return text.format(**kwargs) if kwargs else text


def day_kind_label(kind: str, locale: str = "zh") -> str:
    return t(f"kind_{kind}", locale)
