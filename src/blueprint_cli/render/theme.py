"""Themes: every colour, font and size of a rendered blueprint, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LaneStyle:
    band: str  # the lane's background
    border: str  # the band's outline
    box: str  # fill of the boxes in the lane
    box_border: str


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    lanes: dict[str, LaneStyle]
    font: str = "DejaVu Sans,Helvetica,Arial,sans-serif"
    text: str = "#1a1a1a"
    muted: str = "#555555"
    background: str = "#ffffff"
    header: str = "#dfe5ee"
    header_border: str = "#8a9bb0"
    line: str = "#444444"
    edge: str = "#333333"
    # badges: the darker, the further past what the review accepts
    fail_high: str = "#a50f15"  # at or past the high-risk threshold
    fail_high_text: str = "#ffffff"
    fail: str = "#f4a09c"  # scored, below the threshold
    fail_text: str = "#5c0a0d"
    unscored: str = "#ffffff"  # not scored: drawn empty
    unscored_text: str = "#a50f15"
    wait_over: str = "#b34700"  # expected longer than its standard
    wait_over_text: str = "#ffffff"
    wait: str = "#fbd38d"  # within its standard
    wait_text: str = "#5a3300"
    segment: str = "#1f5fa8"  # the "for Phone" tag of a step for some segments
    flagged: str = "#c2185b"  # a flow a review rule flags
    note: str = "#ffffff"
    channel: str = "#00695c"  # "via Phone": the channel of a step, or of an action
    # the optional rows (render --rows)
    row_band: str = "#fafafa"
    row_border: str = "#c4c4c4"
    feeling: str = "#1f5fa8"  # the customer's curve
    staff_feeling: str = "#7a4f9a"  # the staff's, dashed
    low: str = "#a50f15"  # the lowest points of a curve
    baseline: str = "#9e9e9e"  # the zero line
    metric: str = "#e3f2fd"
    metric_border: str = "#5b8bc2"
    regulation: str = "#fff8e1"
    regulation_border: str = "#b08a2e"
    # what audit visits observed (render --visits): a step's compliance by band, and the
    # ring of a fail point that occurred
    observed_good: str = "#2e7d32"
    observed_good_text: str = "#ffffff"
    observed_fair: str = "#f9c74f"
    observed_fair_text: str = "#3d2c00"
    observed_poor: str = "#c62828"
    observed_poor_text: str = "#ffffff"
    observed_none: str = "#eeeeee"
    observed_none_text: str = "#616161"
    occurred: str = "#1a1a1a"
    # what changed since an older version (render --diff): added, changed, removed
    added: str = "#2e7d32"
    added_text: str = "#ffffff"
    changed: str = "#f9a825"
    changed_text: str = "#3d2c00"
    ghost: str = "#9e9e9e"


_DEFAULT_LANES = {
    "evidence": LaneStyle("#f3f3f3", "#c4c4c4", "#ffffff", "#333333"),
    "customer": LaneStyle("#e8eff9", "#b7c6dc", "#cfe0f7", "#2b2b2b"),
    "frontstage": LaneStyle("#e9f4ea", "#b6d1b9", "#cdebd2", "#2b2b2b"),
    "backstage": LaneStyle("#fbf2e3", "#dccba8", "#fbdfb4", "#2b2b2b"),
    "support": LaneStyle("#f1ecf7", "#c9bddc", "#ddd0ee", "#2b2b2b"),
}

_PRINT_LANES = {
    "evidence": LaneStyle("#ffffff", "#8c8c8c", "#ffffff", "#000000"),
    "customer": LaneStyle("#f2f2f2", "#8c8c8c", "#ffffff", "#000000"),
    "frontstage": LaneStyle("#ffffff", "#8c8c8c", "#ffffff", "#000000"),
    "backstage": LaneStyle("#f2f2f2", "#8c8c8c", "#ffffff", "#000000"),
    "support": LaneStyle("#ffffff", "#8c8c8c", "#ffffff", "#000000"),
}

THEMES: dict[str, Theme] = {
    "default": Theme("default", _DEFAULT_LANES),
    "print": Theme(
        "print",
        _PRINT_LANES,
        header="#e6e6e6",
        header_border="#8c8c8c",
        line="#000000",
        edge="#000000",
        fail_high="#000000",
        fail="#9e9e9e",
        fail_text="#000000",
        unscored="#ffffff",
        unscored_text="#000000",
        wait_over="#4d4d4d",
        wait="#d9d9d9",
        wait_text="#000000",
        segment="#000000",
        flagged="#000000",
        channel="#000000",
        row_band="#ffffff",
        row_border="#8c8c8c",
        feeling="#000000",
        staff_feeling="#4d4d4d",
        low="#000000",
        baseline="#8c8c8c",
        metric="#ffffff",
        metric_border="#000000",
        regulation="#f2f2f2",
        regulation_border="#000000",
        # greyscale: the darker, the worse; the per cent is printed in each
        observed_good="#ffffff",
        observed_good_text="#000000",
        observed_fair="#bdbdbd",
        observed_fair_text="#000000",
        observed_poor="#404040",
        observed_poor_text="#ffffff",
        observed_none="#ffffff",
        observed_none_text="#7a7a7a",
        occurred="#000000",
        added="#000000",
        added_text="#ffffff",
        changed="#bdbdbd",
        changed_text="#000000",
        ghost="#8c8c8c",
    ),
}
