"""scripts/bench.py's table and comparison, on hand-made figures (no timing, no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripts.bench_json import figure, percentile, write_json
from scripts.bench_report import (
    format_table,
    got_worse,
    load_figures,
    meets_goal,
    previous_figures,
    sort_figures,
    table_rows,
)

KEYSTROKE_P95 = {"figure": "keystroke", **figure("keystroke → list painted p95", "sqlite", 42.5, "ms", 50)}
COUNTS_PG = {"figure": "counts", **figure("count_by_color()", "postgresql", 250, "ms", 100)}
RATE = {
    "figure": "seed",
    **figure("bulk rows per second", "sqlite", 20_000, "count", 16_000, lower_is_better=False),
}
NO_GOAL = {"figure": "keystroke", **figure("keystroke → list painted p50", "sqlite", 18.25, "ms")}


def test_each_row_says_value_goal_ratio_and_whether_the_goal_is_met():
    rows = table_rows([KEYSTROKE_P95, COUNTS_PG, RATE, NO_GOAL])
    assert rows == [
        ["keystroke: keystroke → list painted p95", "sqlite", "42.5 ms", "50 ms", "0.85", "✓"],
        ["counts: count_by_color()", "postgresql", "250 ms", "100 ms", "2.50", "✗"],
        ["seed: bulk rows per second", "sqlite", "20,000 count", "16,000 count", "1.25", "✓"],
        ["keystroke: keystroke → list painted p50", "sqlite", "18.2 ms", "–", "–", ""],
    ]


def test_the_goal_is_met_exactly_at_the_goal_either_way():
    assert meets_goal({**KEYSTROKE_P95, "value": 50})
    assert not meets_goal({**KEYSTROKE_P95, "value": 50.001})
    assert meets_goal({**RATE, "value": 16_000})
    assert not meets_goal({**RATE, "value": 15_999})
    assert meets_goal(NO_GOAL) is None


def test_the_table_has_a_header_and_aligned_columns():
    lines = format_table(table_rows([KEYSTROKE_P95, COUNTS_PG])).splitlines()
    assert lines[0].split() == ["figure", "database", "value", "goal", "value/goal"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert len(lines) == 4
    assert lines[2].index("sqlite") == lines[3].index("postgresql")  # the database column lines up
    assert lines[2].endswith("✓") and lines[3].endswith("✗")


def test_what_got_worse_by_more_than_a_fifth_is_listed_and_nothing_else():
    before = [KEYSTROKE_P95, COUNTS_PG, RATE, NO_GOAL]
    after = [
        {**KEYSTROKE_P95, "value": 51.0},  # +20.0 %: not more than a fifth
        {**COUNTS_PG, "value": 301.0},  # +20.4 %: worse
        {**RATE, "value": 15_000},  # a rate 25 % lower: worse
        {**NO_GOAL, "value": 10.0},  # better
        {
            "figure": "start",
            **figure("start to first paint", "sqlite", 900, "ms", 330),
        },  # new: nothing to compare
    ]
    assert got_worse(before, after) == [
        "counts: count_by_color() (postgresql): 250 ms → 301 ms (+20% worse)",
        "seed: bulk rows per second (sqlite): 20,000 count → 15,000 count (+25% worse)",
    ]
    assert got_worse(before, before) == []


def test_figures_come_in_the_issues_order_sqlite_first():
    pg_keystroke = {**KEYSTROKE_P95, "database": "postgresql"}
    ordered = sort_figures([pg_keystroke, COUNTS_PG, KEYSTROKE_P95], ["counts", "keystroke"])
    assert ordered == [COUNTS_PG, KEYSTROKE_P95, pg_keystroke]


def _save(folder: Path, name: str, patients: int, figures: list[dict[str, Any]]) -> Path:
    path = folder / name
    path.write_text(json.dumps({"patients": patients, "figures": figures}), encoding="utf-8")
    return path


def test_a_scripts_json_is_the_list_bench_reads(tmp_path):
    path = tmp_path / "figures.json"
    write_json(path, [NO_GOAL])
    assert load_figures(path) == [NO_GOAL]
    saved = _save(tmp_path, "2026-11-26-2200.json", 1_000_000, [RATE])
    assert load_figures(saved) == [RATE]  # a saved run: its figures
    assert percentile([5, 1, 4, 2, 3], 0.95) == 5
    assert percentile(list(range(1, 101)), 0.95) == 95


def test_each_figure_is_compared_with_its_newest_saved_value(tmp_path):
    full = _save(tmp_path, "2026-11-20-0900.json", 1_000_000, [KEYSTROKE_P95, COUNTS_PG])
    _save(tmp_path, "2026-11-21-0900.json", 1_000_000, [{**KEYSTROKE_P95, "value": 30.0}])  # --only keystroke
    _save(tmp_path, "2026-11-22-0900.json", 100_000, [{**COUNTS_PG, "value": 1.0}])  # another size
    figures, sources = previous_figures(tmp_path, full.with_name("2026-11-23-0900.json"), patients=1_000_000)
    assert sorted(figures, key=lambda item: item["figure"]) == [COUNTS_PG, {**KEYSTROKE_P95, "value": 30.0}]
    assert sources == ["2026-11-21-0900.json", "2026-11-20-0900.json"]
    assert previous_figures(tmp_path / "none") == ([], [])
