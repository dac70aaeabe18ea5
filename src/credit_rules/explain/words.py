"""The words of the explanations, in Chinese and English, and label lookups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from credit_rules.dsl import ast
from credit_rules.dsl.span import Span

__all__ = ["Words", "label", "points", "source", "words"]

_ZH: dict[str, str] = {
    "title": "信用评价说明",
    "subject": "主体",
    "as_of": "评价日期",
    "score": "信用分",
    "tier": "信用等级",
    "supervision": "监管频次",
    "none": "无",
    "waterfall": "得分构成",
    "base": "基础分",
    "total": "合计",
    "record": "记录",
    "counts_until": "{date} 起不再计分（还有 {days} 天）",
    "counts_forever": "长期计分",
    "rule_cap": "规则上限 {cap} 扣回",
    "group_cap": "分组 {group} 上限 {cap} 扣回",
    "range": "分数范围 {low} 至 {high} 截断",
    "rounding": "按 {step} 舍入",
    "tier_decision": "等级判定",
    "started": "尚无任何记录，适用初始等级 {tier}",
    "held": "成立",
    "not_held": "不成立",
    "otherwise": "其他情形",
    "computed": "按条件得出 {tier}",
    "veto": "一票否决 {veto} {label}：不高于 {forces}，自 {since} 起，至 {until}",
    "final_tier": "最终等级 {tier}",
    "lists": "名单",
    "list_entry": "{name} {label}：因 {cause}，自 {start}；最早 {earliest} 可移出；{end}",
    "list_end": "{date} 自动移出",
    "list_never": "无自动移出日",
    "condition_cause": "条件 {condition}",
    "effects": "联动奖惩",
    "incentive": "激励",
    "sanction": "惩戒",
    "effect": "{kind} {name} {label}：因 {cause}，自 {since}，至 {until}",
    "beginning": "首条记录起",
    "open_end": "条件不再成立时",
    "next_change": "下一次变化",
    "no_change": "如无新记录，评价结果不再变化",
    "change_on": "{date}：{events}",
    "change_after": "信用分 {score_before} → {score_after}，等级 {tier_before} → {tier_after}",
    "ev_record": "记录 {name} 不再计分",
    "ev_veto": "一票否决 {name} 锁定期满",
    "ev_list_end": "移出名单 {name}",
    "ev_list_start": "列入名单 {name}",
    "ev_effect": "{name} 期满",
    "ev_other": "待审修复申请或名单、奖惩条件变化",
    "repair": "信用修复",
    "no_repair": "无可修复的记录",
    "repair_option": "记录 {record}（{rule} {rule_label}）· {cls} {cls_label} · 最早 {available} 起可修复",
    "missing": "尚缺：{missing}",
    "complete": "材料齐全",
    "repair_after": "修复后信用分 {score}，等级 {tier}",
    "not_repairable": "记录 {record}（{rule}）不可修复",
    "paths": "升级最短路径",
    "no_path": "暂无升至更高等级的途径",
    "best_tier": "已是最高等级",
    "path_wait": "等待至 {date}：{records} 到期，信用分 {score}，等级 {tier}",
    "path_wait_nothing": "等待至 {date}：锁定或名单期满，信用分 {score}，等级 {tier}",
    "path_repair": "修复记录 {record}：{date} 起，信用分 {score}，等级 {tier}",
    "path_bonus": "{date} 新增增信记录 {bonuses}：信用分 {score}，等级 {tier}",
    "shortest": "（最短）",
    "reasons": "扣分原因（按扣分多少排序）",
    "no_reasons": "无扣分",
    "reason": "{rank}. {rule} {label}：{points} 分（记录 {records}）",
    "layer": "层级",
    "letter_greeting": "{name}：",
    "letter_body": "截至 {as_of}，贵单位的信用分为 {score} 分，信用等级为 {tier}（{tier_label}）。",
    "letter_reasons": "主要原因",
    "letter_repair": "可申请的信用修复",
    "letter_next": "今后的变化",
    "letter_path": "如何提升等级",
    "letter_lists": "名单与联动奖惩",
    "letter_source": "依据：{source}",
    "letter_close": "本说明由信用评价系统依据 `{policy}` 政策（摘要 `{digest}`）自动生成。",
}

_EN: dict[str, str] = {
    "title": "Credit assessment explained",
    "subject": "Subject",
    "as_of": "As of",
    "score": "Score",
    "tier": "Tier",
    "supervision": "Supervision",
    "none": "none",
    "waterfall": "Score",
    "base": "base",
    "total": "total",
    "record": "record",
    "counts_until": "stops counting on {date} ({days} days left)",
    "counts_forever": "counts forever",
    "rule_cap": "rule cap {cap} takes back",
    "group_cap": "group {group} cap {cap} takes back",
    "range": "range {low} to {high} cuts",
    "rounding": "rounding to {step}",
    "tier_decision": "Tier decision",
    "started": "no record yet: the start tier {tier} applies",
    "held": "holds",
    "not_held": "does not hold",
    "otherwise": "otherwise",
    "computed": "computed tier {tier}",
    "veto": "veto {veto} {label}: no better than {forces}, since {since}, until {until}",
    "final_tier": "tier {tier}",
    "lists": "Lists",
    "list_entry": "{name} {label}: because of {cause}, since {start}; can end from {earliest}; {end}",
    "list_end": "ends by itself on {date}",
    "list_never": "no end date",
    "condition_cause": "condition {condition}",
    "effects": "Incentives and sanctions",
    "incentive": "incentive",
    "sanction": "sanction",
    "effect": "{kind} {name} {label}: because of {cause}, since {since}, until {until}",
    "beginning": "the first record",
    "open_end": "the condition stops holding",
    "next_change": "Next change",
    "no_change": "with no new record, nothing changes any more",
    "change_on": "{date}: {events}",
    "change_after": "score {score_before} → {score_after}, tier {tier_before} → {tier_after}",
    "ev_record": "record {name} stops counting",
    "ev_veto": "veto {name} ends",
    "ev_list_end": "leaves list {name}",
    "ev_list_start": "enters list {name}",
    "ev_effect": "{name} ends",
    "ev_other": "a pending repair, or a list or effect condition, changes",
    "repair": "Repair",
    "no_repair": "no record can be repaired",
    "repair_option": "record {record} ({rule} {rule_label}) · {cls} {cls_label} · repairable from {available}",
    "missing": "missing: {missing}",
    "complete": "evidence complete",
    "repair_after": "after repair: score {score}, tier {tier}",
    "not_repairable": "record {record} ({rule}) cannot be repaired",
    "paths": "Shortest path to a better tier",
    "no_path": "no way to a better tier yet",
    "best_tier": "already the best tier",
    "path_wait": "wait until {date}: {records} stop counting, score {score}, tier {tier}",
    "path_wait_nothing": "wait until {date}: a lock or stay ends, score {score}, tier {tier}",
    "path_repair": "repair record {record}: from {date}, score {score}, tier {tier}",
    "path_bonus": "on {date} add credit-enhancing records {bonuses}: score {score}, tier {tier}",
    "shortest": " (shortest)",
    "reasons": "Reason codes (largest loss first)",
    "no_reasons": "no points lost",
    "reason": "{rank}. {rule} {label}: {points} points (from {records})",
    "layer": "layer",
    "letter_greeting": "To {name}:",
    "letter_body": "As of {as_of}, your credit score is {score} and your tier is {tier} ({tier_label}).",
    "letter_reasons": "Main reasons",
    "letter_repair": "Credit repair you can apply for",
    "letter_next": "What changes next",
    "letter_path": "How to reach a better tier",
    "letter_lists": "Lists, incentives and sanctions",
    "letter_source": "basis: {source}",
    "letter_close": "This letter was produced by the credit assessment system from policy `{policy}` (digest `{digest}`).",
}


class Words:
    """The phrases of one language, filled in with `say`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._table = _EN if lang == "en" else _ZH

    def say(self, key: str, **values: Any) -> str:
        """Return the phrase `key` with `values` filled in."""
        return self._table[key].format(**values)


def words(lang: str) -> Words:
    """Return the phrases of `lang` (`zh` or `en`; Chinese for anything else)."""
    return Words(lang)


def label(declared: ast.Label | None, lang: str) -> str:
    """Return a label in `lang`, falling back to Chinese, or empty."""
    if declared is None:
        return ""
    if lang == "en" and declared.en:
        return declared.en
    return declared.zh


def points(value: Decimal) -> str:
    """Return signed points: `+5`, `-10`."""
    return f"{value}" if value < 0 else f"+{value}"


def source(span: Span) -> str:
    """Return `path:line` of a declaration."""
    return f"{span.file}:{span.line}"


def day(date: dt.date | None, fallback: str) -> str:
    """Return a date as ISO text, or `fallback` for none."""
    return fallback if date is None or date == dt.date.max else date.isoformat()
