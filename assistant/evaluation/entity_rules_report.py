"""Precision, recall and F1 of `KoreanEntityExtractor` on the annotated NLU training data.

Runs in `.venv-rasa`:
    PYTHONPATH=. .venv-rasa/bin/python -m assistant.evaluation.entity_rules_report [--errors] [--check]

A prediction counts when its entity type and character span equal an annotation's; the
`service (id)` row also requires the service id to equal the annotation's value after Rasa's
synonym mapping. Texts printed by `--errors` have resident registration numbers masked.
"""

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.language.entity_patterns import find_rrns, redact_rrn_digits
from assistant.nlu.spacy_entities import KoreanEntityExtractor

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "nlu_data" / "nlu"
ENTITY_TYPES = ("date", "phone", "rrn", "count", "document_type", "address", "relation", "service")
TARGETS = {"date": 0.90, "phone": 0.90, "rrn": 0.90}
SERVICE_ID_ROW = "service (id)"

# (example index, entity type, start, end, value)
Mention = Tuple[int, str, int, int, str]


@dataclass(frozen=True)
class Scores:
    """Counts and metrics for one entity type."""

    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        """Correct / predicted (1.0 when nothing was predicted)."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Correct / annotated (1.0 when nothing was annotated)."""
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def gold_mentions(examples: Sequence[Message], synonyms: Mapping[str, str]) -> Set[Mention]:
    """Annotated mentions; values mapped through the synonyms as EntitySynonymMapper does."""
    lowered = {text.lower(): value for text, value in synonyms.items()}
    return {
        (i, e["entity"], e["start"], e["end"], lowered.get(str(e["value"]).lower(), str(e["value"])))
        for i, message in enumerate(examples)
        for e in message.get(ENTITIES) or []
        if e["entity"] in ENTITY_TYPES
    }


def predicted_mentions(examples: Sequence[Message], training_data: TrainingData) -> Set[Mention]:
    """Mentions the extractor finds after the Rasa train -> persist -> load cycle."""
    with tempfile.TemporaryDirectory() as storage_path:
        storage = LocalModelStorage(Path(storage_path))
        resource = Resource("korean_entity_extractor")
        context = ExecutionContext(GraphSchema({}), "entity-rules-report")
        config = KoreanEntityExtractor.get_default_config()
        KoreanEntityExtractor.create(config, storage, resource, context).train(training_data)
        extractor = KoreanEntityExtractor.load(config, storage, resource, context)
        messages = extractor.process([Message(data={TEXT: m.get(TEXT)}) for m in examples])
    return {
        (i, e["entity"], e["start"], e["end"], str(e["value"]))
        for i, message in enumerate(messages)
        for e in message.get(ENTITIES) or []
    }


def score(gold: Set[Mention], predicted: Set[Mention]) -> Dict[str, Scores]:
    """Per-type span scores, plus the service row that also checks the id."""
    spans = lambda mentions: {m[:4] for m in mentions}  # noqa: E731 - the span part of a mention
    correct_spans = spans(gold) & spans(predicted)
    scores = {}
    for entity in ENTITY_TYPES:
        scores[entity] = Scores(
            gold=sum(m[1] == entity for m in gold),
            predicted=sum(m[1] == entity for m in predicted),
            correct=sum(m[1] == entity for m in correct_spans),
        )
    services = lambda mentions: {m for m in mentions if m[1] == "service"}  # noqa: E731
    scores[SERVICE_ID_ROW] = Scores(
        gold=len(services(gold)), predicted=len(services(predicted)), correct=len(services(gold) & services(predicted))
    )
    return scores


def format_table(scores: Mapping[str, Scores]) -> str:
    """A plain-text table, one row per entity type."""
    lines = [f"{'entity':<15}{'gold':>6}{'pred':>6}{'correct':>9}{'P':>8}{'R':>8}{'F1':>8}  target"]
    for entity, s in scores.items():
        target = TARGETS.get(entity)
        verdict = "" if target is None else f">= {target:.2f} {'met' if s.f1 >= target else 'MISSED'}"
        lines.append(
            f"{entity:<15}{s.gold:>6}{s.predicted:>6}{s.correct:>9}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}  {verdict}"
        )
    return "\n".join(lines)


def redacted(text: str, rrn_spans: Iterable[Tuple[int, int]] = ()) -> str:
    """`text` with found and annotated resident registration numbers masked."""
    spans = {(m.start, m.end) for m in find_rrns(text)} | set(rrn_spans)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + redact_rrn_digits(text[start:end]) + text[end:]
    return text


def format_errors(examples: Sequence[Message], gold: Set[Mention], predicted: Set[Mention]) -> str:
    """Missed and spurious mentions (and wrong service ids), grouped by entity type."""
    gold_spans, predicted_spans = {m[:4]: m for m in gold}, {m[:4]: m for m in predicted}
    lines = []
    for label, mentions, other in (("missed", gold_spans, predicted_spans), ("spurious", predicted_spans, gold_spans)):
        for key in sorted(set(mentions) - set(other), key=lambda k: (k[1], k[0])):
            lines.append(_error_line(label, examples, mentions[key]))
    for key in sorted(set(gold_spans) & set(predicted_spans)):
        if key[1] == "service" and gold_spans[key][4] != predicted_spans[key][4]:
            lines.append(_error_line(f"id {predicted_spans[key][4]} != {gold_spans[key][4]}", examples, gold_spans[key]))
    return "\n".join(lines)


def _error_line(label: str, examples: Sequence[Message], mention: Mention) -> str:
    index, entity, start, end, _ = mention
    text = examples[index].get(TEXT)
    rrn_spans = [(e["start"], e["end"]) for e in examples[index].get(ENTITIES) or [] if e["entity"] == "rrn"]
    marked = redacted(text, rrn_spans + ([(start, end)] if entity == "rrn" else []))
    return f"{entity:<14}{label:<10}{marked[start:end]!r:<40} in {marked!r}"


def main(argv: Optional[List[str]] = None) -> int:
    """Prints the table (and errors); with --check, exits 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Rasa NLU data (file or directory)")
    parser.add_argument("--errors", action="store_true", help="list missed and spurious mentions")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target F1 is missed")
    args = parser.parse_args(argv)

    training_data = load_data(str(args.data))
    examples = training_data.nlu_examples
    gold = gold_mentions(examples, training_data.entity_synonyms)
    predicted = predicted_mentions(examples, training_data)
    scores = score(gold, predicted)
    print(f"{len(examples)} examples, {sum(Counter(m[1] for m in gold).values())} annotated mentions of {len(ENTITY_TYPES)} types")
    print(format_table(scores))
    if args.errors:
        print(format_errors(examples, gold, predicted))
    missed = [entity for entity, target in TARGETS.items() if scores[entity].f1 < target]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
