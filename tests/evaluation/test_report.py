"""The HTML evaluation report: comparison rows, plots and rendering (no models, no Rasa)."""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation import plots
from assistant.evaluation.report import comparison_rows, render


def test_comparison_rows_put_this_run_beside_the_active_models() -> None:
    rows = comparison_rows(
        {"rasa": {"macro_f1": 0.90}, "index": {"recall_at_5": 0.95, "recall_at_1": None}},
        {"rasa": ("rasa-aaaa", {"macro_f1": 0.93})},
    )
    by_metric = {r["metric"]: r for r in rows}
    assert by_metric["macro_f1"]["active_version"] == "rasa-aaaa"
    assert round(by_metric["macro_f1"]["delta"], 3) == -0.03
    assert by_metric["recall_at_5"]["active"] is None and by_metric["recall_at_5"]["delta"] is None
    assert by_metric["recall_at_1"]["delta"] is None


def test_the_report_renders_every_part_with_its_plots(tmp_path: Path) -> None:
    per_intent = {"project": {"greet": 0.9, "affirm": 0.8}, "stock": {"greet": 0.7, "affirm": 0.85}}
    curve = {"hybrid": [0.8, 0.9, 1.0], "bm25": [0.6, 0.7, 0.8]}
    results = {
        "created": "2026-11-27T00:00:00+00:00", "quick": True, "margin": 0.02,
        "reduced": ["NLU: one stratified split <80/20>", "NLU: no stock-pipeline baseline"],
        "candidate": {"rasa": "rasa-bbbb.tar.gz", "index": "index-cccc"},
        "plots": {
            "per_intent_f1": plots.per_intent_f1_png(per_intent, tmp_path / "f1.png").name,
            "confusion": plots.confusion_matrix_png([("greet", "greet"), ("greet", "affirm"), ("affirm", "affirm")],
                                                    tmp_path / "cm.png").name,
            "recall_curve": plots.recall_curve_png(curve, tmp_path / "rc.png").name,
        },
        "nlu": {"folds": 1, "holdout": 0.2, "examples": 900, "epochs": 20, "seconds": 60.0, "summary_md": "reports/nlu/summary.md",
                "pipelines": {"project": {"macro_f1": 0.85, "accuracy": 0.9, "weighted_f1": 0.88}},
                "per_intent": per_intent},
        "retrieval": {"questions": "q.csv", "count": 32, "services": 32,
                      "modes": {"hybrid": {"recall_at_1": 0.9, "recall_at_5": 1.0, "mrr_at_10": 0.94}}, "curve": curve},
        "stories": {"stories": 5, "failed": 1, "failed_names": ["move-in <script>"], "seconds": 40.0},
        "chats": {"skipped": "no service"},
        "comparison": comparison_rows({"rasa": {"macro_f1": 0.85}}, {"rasa": ("rasa-aaaa", {"macro_f1": 0.90})}),
    }
    html = render(results, tmp_path).read_text(encoding="utf-8")
    for png in ("f1.png", "cm.png", "rc.png"):
        assert (tmp_path / png).stat().st_size > 1000 and f'src="{png}"' in html
    assert "Quick run" in html and "one stratified split &lt;80/20&gt;" in html and "no stock-pipeline baseline" in html
    assert "NLU on a held-out split" in html and "20 % of each intent held out" in html
    assert "rasa-aaaa" in html and "-0.050" in html and 'class="worse"' in html
    assert "4 of 5 stories pass" in html and "move-in &lt;script&gt;" in html  # escaped
    assert "Skipped: no service" in html and (tmp_path / "results.json").exists()
