"""K-fold cross-validation of NLU pipelines on the same folds, with Rasa's own `cross_validate`.

Runs in `.venv-rasa`; `assistant evaluate nlu` starts it, or by hand from the repository root:
    RASA_TELEMETRY_ENABLED=false PYTHONPATH=. .venv-rasa/bin/python -m assistant.evaluation.nlu_cv_runner \\
        --data nlu_data/nlu --config config.yml --baseline assistant/evaluation/stock_config.yml \\
        --folds 5 --seed 42 --out reports/nlu [--epochs N]

`--holdout 0.2` replaces the k folds by one stratified split (80 % train, 20 % test, seeded): one
training and one prediction pass instead of k, for `assistant evaluate all --quick`.

Each pipeline's reports, per-example successes and errors and confusion matrices go to
`<out>/<pipeline>/` (`project` for --config, `stock` for --baseline); `<out>/summary.json` and
`<out>/summary.md` compare them (see `nlu_summary`).

Rasa's `generate_folds` shuffles with `StratifiedKFold(shuffle=True)` and no random_state, i.e.
numpy's global RNG, so numpy is seeded right before each `cross_validate`. The runner records
every fold's test set while Rasa iterates the folds and states in the summary whether the
pipelines saw identical folds. Rasa and numpy are imported inside functions: importing Rasa
loads TensorFlow.
"""

import argparse
import asyncio
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple

from assistant.evaluation.nlu_summary import headline_rows, language_of, pipeline_summary, to_markdown

if TYPE_CHECKING:
    from rasa.shared.nlu.training_data.training_data import TrainingData

PROJECT = "project"
STOCK = "stock"
# Files of a previous run that would otherwise survive next to the new ones.
STALE_OUTPUTS = ("*_report.json", "*_successes.json", "*_errors.json", "*.png")

# Sorted (text, intent) pairs of one fold's test set.
FoldTestSet = List[Tuple[str, str]]


@dataclass
class FoldRecord:
    """What the instrumented Rasa calls saw, fold by fold."""

    test_sets: List[FoldTestSet] = field(default_factory=list)
    train_sizes: List[int] = field(default_factory=list)
    train_seconds: List[float] = field(default_factory=list)

    def fingerprints(self) -> List[str]:
        """A short hash per fold's test set; equal lists mean identical folds."""
        return [
            hashlib.sha256(json.dumps(test_set, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
            for test_set in self.test_sets
        ]


def say(message: str) -> None:
    """One progress line on stdout (the CLI shows the last one)."""
    print(message, flush=True)


def configure_logging() -> None:
    """Rasa's warnings and errors, and its training progress bars.

    Rasa's debug output per test example would flood the log. Its epoch bars are drawn only when
    the `LOG_LEVEL` variable is below WARNING (`rasa.shared.utils.io.is_logging_disabled`), so
    the variable says INFO while the loggers stay at WARNING: the bar is the progress a user
    watches during a fold's training.
    """
    import logging
    import warnings

    # Third-party deprecation notices say nothing about this run.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    import rasa.model_training  # noqa: F401
    import rasa.nlu.test  # noqa: F401
    from rasa.shared.constants import ENV_LOG_LEVEL
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    os.environ[ENV_LOG_LEVEL] = "INFO"
    # Again: importing Rasa imports sanic, which turns deprecation warnings back on ("once").
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="NLU data file or folder.")
    parser.add_argument("--config", type=Path, required=True, help="The project's config.yml.")
    parser.add_argument("--baseline", type=Path, default=None, help="Config of the pipeline to compare with.")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=None, help="Override DIETClassifier epochs (quick runs).")
    parser.add_argument(
        "--holdout", type=float, default=None,
        help="Instead of k folds, one stratified split holding out this share of each intent (quick runs).",
    )
    parser.add_argument("--holdout-cap", type=int, default=None,
                        help="With --holdout: test at most this many examples per intent (the rest train).")
    return parser.parse_args(argv)


def fold_signature(test_data: "TrainingData") -> FoldTestSet:
    """The test set of a fold as sorted (text, full intent) pairs."""
    from rasa.shared.nlu.constants import TEXT

    return sorted((example.get(TEXT), example.get_full_intent()) for example in test_data.intent_examples)


def fold_test_sets(data: "TrainingData", n_folds: int, seed: int) -> List[FoldTestSet]:
    """The test sets Rasa's `generate_folds` yields after seeding numpy as the runner does."""
    import numpy
    from rasa.nlu.test import generate_folds

    numpy.random.seed(seed)
    return [fold_signature(test) for _, test in generate_folds(n_folds, data)]


def prepare_config(source: Path, target: Path, epochs: Optional[int]) -> Path:
    """Copy a config, with DIETClassifier's epochs replaced when `epochs` is given.

    Always a copy: Rasa's auto-configuration may write into the config file it trains from.
    """
    from rasa.shared.utils.io import read_yaml_file, write_yaml

    config = read_yaml_file(str(source))
    if epochs is not None:
        for component in config.get("pipeline") or []:
            if component.get("name") == "DIETClassifier":
                component["epochs"] = epochs
    write_yaml(config, target)
    return target


def config_language(config_path: Path) -> str:
    """The `language` of a config (Rasa's default `en` when missing)."""
    from rasa.shared.utils.io import read_yaml_file

    return str(read_yaml_file(str(config_path)).get("language") or "en")


def texts_under_several_intents(data: "TrainingData") -> List[Dict[str, Any]]:
    """Texts (compared case- and spacing-insensitively) that appear under more than one intent."""
    from rasa.shared.nlu.constants import TEXT

    intents: Dict[str, set] = {}
    shown: Dict[str, str] = {}
    for example in data.intent_examples:
        key = re.sub(r"\s+", " ", example.get(TEXT).strip().casefold())
        intents.setdefault(key, set()).add(example.get_full_intent())
        shown.setdefault(key, example.get(TEXT))
    return [{"text": shown[key], "intents": sorted(names)} for key, names in intents.items() if len(names) > 1]


def holdout_split(
    data: "TrainingData", share: float, seed: int, cap: Optional[int] = None
) -> Tuple["TrainingData", "TrainingData"]:
    """One split keeping `share` of every intent's examples for testing (Rasa's stratified split).

    With `cap`, at most that many test examples per intent are kept and the rest go back to
    training: predicting one example costs Rasa far more than its share of training.
    """
    from rasa.shared.nlu.training_data.training_data import TrainingData

    train, test = data.train_test_split(train_frac=1.0 - share, random_seed=seed)
    if cap is None:
        return train, test
    kept: List[Any] = []
    returned: List[Any] = []
    per_intent: Dict[str, int] = {}
    for example in test.training_examples:
        intent = example.get_full_intent()
        per_intent[intent] = per_intent.get(intent, 0) + 1
        (kept if per_intent[intent] <= cap else returned).append(example)
    extras = dict(entity_synonyms=data.entity_synonyms, regex_features=data.regex_features,
                  lookup_tables=data.lookup_tables)
    return (TrainingData(train.training_examples + returned, responses=data.responses, **extras),
            TrainingData(kept, responses=test.responses, **extras))


@contextmanager
def instrumented(
    name: str, n_folds: int, record: FoldRecord, holdout: Optional[float] = None, seed: int = 42,
    holdout_cap: Optional[int] = None,
) -> Iterator[None]:
    """Record folds and time each fold's training inside Rasa's `cross_validate`.

    `cross_validate` exposes no per-fold hook, so the two module attributes it calls are wrapped
    for the duration; the wrappers pass everything through unchanged, except that with `holdout`
    the k folds become the one held-out split (Rasa's own training, prediction and reports reused).
    """
    from unittest import mock

    import rasa.model_training
    import rasa.nlu.test

    original_folds = rasa.nlu.test.generate_folds
    original_train = rasa.model_training.train_nlu

    def splits(n: int, training_data: "TrainingData") -> Iterator[Tuple[Any, Any]]:
        if holdout is None:
            yield from original_folds(n, training_data)
        else:
            yield holdout_split(training_data, holdout, seed, holdout_cap)

    def recording_folds(n: int, training_data: "TrainingData") -> Iterator[Tuple[Any, Any]]:
        for train, test in splits(n, training_data):
            record.test_sets.append(fold_signature(test))
            record.train_sizes.append(len(train.intent_examples))
            yield train, test

    def timed_train(*args: Any, **kwargs: Any) -> Any:
        fold = len(record.train_seconds) + 1
        say(f"[{name}] fold {fold}/{n_folds}: training on {record.train_sizes[-1]} examples")
        started = time.monotonic()
        result = original_train(*args, **kwargs)
        record.train_seconds.append(time.monotonic() - started)
        say(f"[{name}] fold {fold}/{n_folds}: trained in {record.train_seconds[-1]:.0f} s, predicting the test fold")
        return result

    original_combine = rasa.nlu.test.combine_result

    async def test_folds_only(*args: Any, **kwargs: Any) -> Any:
        # `cross_validate` also predicts every training example (train-set accuracy), which the
        # summary never reads: called without result lists, that is the call to skip. It was most
        # of the run's time.
        if len(args) < 6 and "intent_results" not in kwargs:
            return args[0], args[1], args[2]
        return await original_combine(*args, **kwargs)

    with mock.patch.object(rasa.nlu.test, "generate_folds", recording_folds), mock.patch.object(
        rasa.model_training, "train_nlu", timed_train
    ), mock.patch.object(rasa.nlu.test, "combine_result", test_folds_only):
        yield


def clear_previous_outputs(pipeline_dir: Path) -> None:
    """Remove report, prediction and plot files a previous run left in `pipeline_dir`."""
    for pattern in STALE_OUTPUTS:
        for path in pipeline_dir.glob(pattern):
            path.unlink()


async def cross_validate_pipeline(
    name: str, config: Path, data: "TrainingData", n_folds: int, seed: int, pipeline_dir: Path,
    holdout: Optional[float] = None, holdout_cap: Optional[int] = None,
) -> Tuple[FoldRecord, float]:
    """Rasa's `cross_validate` for one pipeline (or one held-out split); returns the fold record and
    the wall time."""
    import numpy
    from rasa.nlu.test import cross_validate

    pipeline_dir.mkdir(parents=True, exist_ok=True)
    clear_previous_outputs(pipeline_dir)
    record = FoldRecord()
    started = time.monotonic()
    with instrumented(name, n_folds, record, holdout, seed, holdout_cap):
        # Rasa's fold split draws from numpy's global RNG: same seed here, same folds.
        numpy.random.seed(seed)
        await cross_validate(
            data, n_folds, str(config), output=str(pipeline_dir),
            successes=True, errors=True, disable_plotting=False, report_as_dict=True,
        )
    return record, time.monotonic() - started


async def run(args: argparse.Namespace) -> Dict[str, Any]:
    """Cross-validate every pipeline, then write and return the summary."""
    from rasa.nlu.test import drop_intents_below_freq
    from rasa.shared.nlu.training_data.loading import load_data

    pipelines = [(PROJECT, args.config)] + ([(STOCK, args.baseline)] if args.baseline else [])
    full_data = load_data(str(args.data), config_language(args.config))
    # As `rasa test nlu --cross-validation` does: an intent needs an example in every fold.
    # (A held-out split needs two: one to train on, one to test.)
    if args.holdout is not None:
        args.folds = 1
    data = drop_intents_below_freq(full_data, cutoff=2 if args.holdout is not None else args.folds)
    dropped = sorted(set(full_data.intents) - set(data.intents))
    split = f"{args.holdout:.0%} held out" if args.holdout is not None else f"{args.folds} folds"
    say(f"{len(data.intent_examples)} intent examples, {len(data.intents)} intents, {split}")
    args.out.mkdir(parents=True, exist_ok=True)

    results: Dict[str, Dict[str, Any]] = {}
    records: Dict[str, FoldRecord] = {}
    with tempfile.TemporaryDirectory(prefix="nlu-cv-") as temp:
        for name, source in pipelines:
            config = prepare_config(source, Path(temp) / f"{name}.yml", args.epochs)
            say(f"[{name}] cross-validating {source}")
            record, seconds = await cross_validate_pipeline(
                name, config, data, args.folds, args.seed, args.out / name, args.holdout, args.holdout_cap)
            records[name] = record
            # Kept with the reports: config.yml may change after the run.
            shutil.copyfile(config, args.out / name / "config_used.yml")
            results[name] = {
                "config": str(source),
                **pipeline_summary(args.out / name),
                "fold_train_seconds": [round(s, 1) for s in record.train_seconds],
                "fold_test_fingerprints": record.fingerprints(),
                "wall_seconds": round(seconds, 1),
            }
            say(f"[{name}] done in {seconds:.0f} s")

    summary = build_summary(args, data, dropped, records, results)
    (args.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "summary.md").write_text(to_markdown(summary), encoding="utf-8")
    return summary


def build_summary(
    args: argparse.Namespace,
    data: "TrainingData",
    dropped: List[str],
    records: Dict[str, FoldRecord],
    results: Dict[str, Dict[str, Any]],
) -> Dict[str, Any]:
    """The run's settings, data statistics, fold check and per-pipeline results."""
    from rasa.shared.nlu.constants import TEXT

    languages = [language_of(example.get(TEXT)) for example in data.intent_examples]
    first = next(iter(records.values()))
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": str(args.data),
        "folds": args.folds,
        "seed": args.seed,
        "epochs": args.epochs,
        "holdout": args.holdout,
        "holdout_cap": args.holdout_cap,
        "examples": {
            "total": len(data.intent_examples),
            **{language: languages.count(language) for language in ("ko", "en", "other")},
        },
        "dropped_intents": dropped,
        "identical_folds": all(r.test_sets == first.test_sets for r in records.values()),
        "data_issues": {"texts_under_several_intents": texts_under_several_intents(data)},
        "pipelines": results,
    }


def print_table(summary: Dict[str, Any]) -> None:
    """The side-by-side overview as plain text."""
    rows = [("metric", list(summary["pipelines"]))] + headline_rows(summary)
    widths = [max(len(label) for label, _ in rows)] + [
        max(len(cells[i]) for _, cells in rows) for i in range(len(summary["pipelines"]))
    ]
    for label, cells in rows:
        say("  ".join([label.ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(cells, widths[1:]))]))


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the process exit code."""
    args = parse_args(argv)
    # Before Rasa (and with it matplotlib) is imported: no telemetry, no display needed for plots.
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.environ.setdefault("MPLBACKEND", "Agg")
    # No training cache: a re-run would reuse fold models and report their training as seconds,
    # and ten fold models would crowd the `rasa train` cache out of `.rasa/cache`.
    os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")
    configure_logging()
    summary = asyncio.run(run(args))
    if not summary["identical_folds"]:
        say("WARNING: the pipelines did not see identical folds; the comparison is not paired.")
    print_table(summary)
    say(f"Summary: {args.out / 'summary.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
