"""Explanations of grades: reason codes, paths to a better tier, and their renderings.

`report(engine, subject_id, as_of)` explains one subject's grade with everything
a reader needs to act on it; `render_text`, `render_json` and `render_markdown`
write a report, or a bare `Engine.explain()` result, as a tree of text, as
JSON-ready data and as a letter to the producer.

Example:
    >>> from credit_rules.explain import report, render_text  # doctest: +SKIP
    >>> print(render_text(report(engine, "S-1"), lang="en"))  # doctest: +SKIP
"""

from credit_rules.explain.build import from_explanation, reason_codes, report
from credit_rules.explain.json_output import render_json
from credit_rules.explain.markdown import render_markdown
from credit_rules.explain.model import Event, Reason, Report, Step, Upcoming
from credit_rules.explain.paths import paths_to_better_tier
from credit_rules.explain.text import render_text

__all__ = [
    "Event",
    "Reason",
    "Report",
    "Step",
    "Upcoming",
    "from_explanation",
    "paths_to_better_tier",
    "reason_codes",
    "render_json",
    "render_markdown",
    "render_text",
    "report",
]
