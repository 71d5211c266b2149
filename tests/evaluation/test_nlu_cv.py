"""`assistant evaluate nlu` end to end: real Rasa cross-validation of both pipelines on tiny data.

Two folds and two DIET epochs: the scores mean nothing, the files and their shape do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app

pytestmark = pytest.mark.slow

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

TINY_NLU = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - 안녕하세요
    - 안녕
    - 반가워요
    - 좋은 아침입니다
    - hello
    - hi there
    - good morning
    - hey
- intent: goodbye
  examples: |
    - 안녕히 계세요
    - 잘 있어요
    - 다음에 봐요
    - 수고하세요
    - bye
    - goodbye
    - see you later
    - bye bye
- intent: request_certificate
  examples: |
    - [등본](document_type) 떼고 싶어요
    - [초본](document_type) 발급해 주세요
    - [등본](document_type) 하나 뽑아 주세요
    - [가족관계증명서](document_type) 발급받고 싶어요
    - I need a [resident certificate](document_type)
    - can I get a [family certificate](document_type)
    - issue me a [resident certificate](document_type) please
    - I want a [certificate](document_type)
"""


def test_evaluate_nlu_writes_side_by_side_summary(settings: object, tmp_path: Path) -> None:
    data = tmp_path / "nlu"
    data.mkdir()
    (data / "nlu.yml").write_text(TINY_NLU, encoding="utf-8")
    out = tmp_path / "reports"

    result = CliRunner().invoke(
        app, ["evaluate", "nlu", "--data", str(data), "--folds", "2", "--epochs", "2", "--out", str(out)]
    )

    log = out / "nlu_cv.log"
    assert result.exit_code == 0, result.output + (log.read_text(errors="replace")[-3000:] if log.exists() else "")
    assert (out / "summary.md").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(summary["pipelines"]) == ["project", "stock"]
    assert summary["identical_folds"] is True
    assert summary["examples"] == {"total": 24, "ko": 12, "en": 12, "other": 0}
    for name, pipeline in summary["pipelines"].items():
        assert set(pipeline["intent"]["per_intent"]) == {"greet", "goodbye", "request_certificate"}, name
        assert isinstance(pipeline["by_language"]["ko"]["macro_f1"], float)
        assert pipeline["by_language"]["ko"]["examples"] == 12
        assert len(pipeline["fold_train_seconds"]) == 2
        assert pipeline["test_examples"] == 24
        png = Path(pipeline["files"]["intent_confusion_matrix"])
        assert png.read_bytes()[:8] == PNG_MAGIC
    # Both pipelines were tested on the same two folds.
    project, stock = summary["pipelines"]["project"], summary["pipelines"]["stock"]
    assert project["fold_test_fingerprints"] == stock["fold_test_fingerprints"]
    markdown = (out / "summary.md").read_text(encoding="utf-8")
    assert "| request_certificate (8) |" in markdown
    assert "macro-F1 ko (12 ex.)" in result.output
