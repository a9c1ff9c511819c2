"""Facts about one valid blueprint: flow graph, markers, standards, coverage, times."""

from typing import TYPE_CHECKING, Any

from blueprint_cli.analysis.facts import (
    HIGH_RISK_RPN,
    HIGH_RISK_SEVERITY,
    SORTS,
    Facts,
    FailPointRow,
    FlowGraph,
    Judged,
    Marker,
    PhaseTime,
    SegmentTime,
    action_time,
    actors_used,
    channel_of,
    evidence_coverage,
    flow_graph,
    is_high_risk,
    journey_time,
    judge_wait,
    label_rows,
    markers,
    phase_times,
    register,
    segment_times,
    sort_register,
    stage_in,
    stage_of,
    step_segments,
    step_stage,
    step_time,
    wait_standard,
)

# The journey's figures (show, report, render) are not lint's: imported when first
# asked for, so that a lint of one file does not pay for them.
if TYPE_CHECKING:
    from blueprint_cli.analysis.journey import (
        Binding,
        EmotionCurve,
        MetricRow,
        MetricStatus,
        PlacedRow,
        RegulationRow,
        SegmentSummary,
        StepFeeling,
        channel_title,
        emotion_curve,
        metric_rows,
        metric_status,
        placed,
        regulation_bindings,
        segment_summaries,
        segment_titles,
    )


def __getattr__(name: str) -> Any:
    if name in _JOURNEY:
        from blueprint_cli.analysis import journey

        return getattr(journey, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_JOURNEY = frozenset(
    {
        "Binding",
        "EmotionCurve",
        "MetricRow",
        "MetricStatus",
        "PlacedRow",
        "RegulationRow",
        "SegmentSummary",
        "StepFeeling",
        "channel_title",
        "emotion_curve",
        "metric_rows",
        "metric_status",
        "placed",
        "regulation_bindings",
        "segment_summaries",
        "segment_titles",
    }
)

__all__ = [
    "HIGH_RISK_RPN",
    "HIGH_RISK_SEVERITY",
    "SORTS",
    "Binding",
    "EmotionCurve",
    "Facts",
    "FailPointRow",
    "FlowGraph",
    "Judged",
    "Marker",
    "MetricRow",
    "MetricStatus",
    "PhaseTime",
    "PlacedRow",
    "RegulationRow",
    "SegmentSummary",
    "SegmentTime",
    "StepFeeling",
    "action_time",
    "actors_used",
    "channel_of",
    "channel_title",
    "emotion_curve",
    "evidence_coverage",
    "flow_graph",
    "is_high_risk",
    "journey_time",
    "judge_wait",
    "label_rows",
    "markers",
    "metric_rows",
    "metric_status",
    "phase_times",
    "placed",
    "register",
    "regulation_bindings",
    "segment_summaries",
    "segment_times",
    "segment_titles",
    "sort_register",
    "stage_in",
    "stage_of",
    "step_segments",
    "step_stage",
    "step_time",
    "wait_standard",
]
