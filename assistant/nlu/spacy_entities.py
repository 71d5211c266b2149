"""Domain entities from a blank spaCy pipeline, run inside Rasa by `KoreanEntityExtractor`.

spaCy has no Korean model that works without MeCab, so the pipeline is `spacy.blank("xx")` with
Kiwi as its tokenizer (`kiwi_tokenizer.v1`), an `entity_ruler` for the closed vocabularies
(document types, relations, service names from the synonyms) and `korean_rule_entities`, which
adds the pattern entities of `assistant.language.entity_patterns` (dates, phones, masked resident
registration numbers, counts, addresses). Every entity's value is its normalised form: the
service id, the relation id, the canonical document type, an ISO date, `900101-1******`.

spaCy is imported inside functions only: importing it loads thinc (and with it TensorFlow), and
the registrations it needs are made by `register_spacy_components()` before a pipeline is built
or loaded.
"""

import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Text, Tuple

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.language.entity_patterns import (
    DOCUMENT_TYPE,
    DOCUMENT_TYPES,
    RELATIONS,
    RRN,
    find_rule_entities,
    redact_rrn_digits,
    resolve_overlaps,
)
from assistant.language.korean import Morpheme, analyse

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

logger = logging.getLogger(__name__)

KIWI_TOKENIZER = "kiwi_tokenizer.v1"
RULE_ENTITIES = "korean_rule_entities"
SERVICE, RELATION = "service", "relation"
DEFAULT_SYNONYMS_FILE = Path(__file__).resolve().parents[2] / "nlu_data" / "nlu" / "synonyms.yml"
# Synonym values that are not services: everything else in the synonyms is a service id.
NON_SERVICE_VALUES = frozenset(DOCUMENT_TYPES) | frozenset(RELATIONS)
WHITESPACE_TAG, UNKNOWN_TAG, LATIN_TAG = "_SP", "SW", "SL"
SENTENCE_PUNCTUATION = ".,!?;:"
_HANGUL = re.compile("[\uac00-\ud7a3]")
SERVICE_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


# ------------------------------------------------------------------------------------ tokenizer
@dataclass(frozen=True)
class TokenSpan:
    """One token of a Doc: character span, Kiwi tags joined by '+', morpheme forms joined by '+'."""

    start: int
    end: int
    tag: str
    lemma: str


def kiwi_token_spans(text: str, morphemes: Sequence[Morpheme]) -> List[TokenSpan]:
    """Ordered, non-overlapping token spans covering every non-space character of `text`.

    Morphemes sharing characters (했 = 하 + 었) or of zero width merge into one token; characters
    Kiwi left out become tokens of their own, so the Doc reproduces the text exactly.
    """
    spans: List[TokenSpan] = []
    for group in _overlapping_groups(morphemes):
        start, end = min(m.start for m in group), max(m.end for m in group)
        tag, lemma = "+".join(m.tag for m in group), "+".join(m.form for m in group)
        # A token never spans whitespace: spaCy keeps spaces outside words.
        for run in re.finditer(r"\S+", text[start:end]):
            whole = run.start() == 0 and run.end() == end - start
            spans.append(TokenSpan(start + run.start(), start + run.end(), tag, lemma if whole else run.group()))
    spans = _latin_words(text, spans)
    return sorted(spans + _uncovered_spans(text, spans), key=lambda span: span.start)


def _overlapping_groups(morphemes: Sequence[Morpheme]) -> List[List[Morpheme]]:
    groups: List[List[Morpheme]] = []
    end = -1
    for morpheme in morphemes:
        if groups and (morpheme.start < end or morpheme.end <= morpheme.start):
            groups[-1].append(morpheme)
            end = max(end, morpheme.end)
        elif morpheme.end > morpheme.start:
            groups.append([morpheme])
            end = morpheme.end
    return groups


def _latin_words(text: str, spans: Sequence[TokenSpan]) -> List[TokenSpan]:
    """Latin-script tokens as English phrase patterns need them: Kiwi keeps sentence punctuation
    on a word ("birth." at the end, "passport?" not) and may cut one in two ("bi" + "rth.")."""
    joined: List[TokenSpan] = []
    for span in spans:
        if joined and span.tag == joined[-1].tag == LATIN_TAG and joined[-1].end == span.start:
            span = TokenSpan(joined.pop().start, span.end, LATIN_TAG, "")
        joined.append(span)
    words: List[TokenSpan] = []
    for span in joined:
        if span.tag != LATIN_TAG:
            words.append(span)
            continue
        word = text[span.start : span.end]
        bare = word.rstrip(SENTENCE_PUNCTUATION) or word  # "!!" alone stays one token
        cut = span.start + len(bare)
        words.append(TokenSpan(span.start, cut, LATIN_TAG, bare))
        if cut < span.end:
            words.append(TokenSpan(cut, span.end, "SF", word[len(bare) :]))
    return words


def _uncovered_spans(text: str, spans: Sequence[TokenSpan]) -> List[TokenSpan]:
    """Runs of non-space characters no span covers (characters Kiwi skipped)."""
    uncovered = list(text)
    for span in spans:
        uncovered[span.start : span.end] = " " * (span.end - span.start)
    return [
        TokenSpan(run.start(), run.end(), UNKNOWN_TAG, run.group())
        for run in re.finditer(r"\S+", "".join(uncovered))
    ]


def doc_arguments(text: str, spans: Sequence[TokenSpan]) -> Dict[str, List[Any]]:
    """`words`, `spaces`, `tags`, `lemmas` for `spacy.tokens.Doc`, round-tripping `text`.

    One space after a token is its `spaces` flag; any other whitespace is a token of its own,
    as spaCy's own tokenizer does.
    """
    arguments: Dict[str, List[Any]] = {"words": [], "spaces": [], "tags": [], "lemmas": []}

    def add(word: str, tag: str, lemma: str) -> None:
        for key, item in zip(arguments, (word, False, tag, lemma)):
            arguments[key].append(item)

    position = 0
    for span in [*spans, TokenSpan(len(text), len(text), "", "")]:
        gap = text[position : span.start]
        if gap.startswith(" ") and arguments["words"]:
            arguments["spaces"][-1], gap = True, gap[1:]
        if gap:
            add(gap, WHITESPACE_TAG, gap)
        if span.end > span.start:
            add(text[span.start : span.end], span.tag, span.lemma.lower())
        position = span.end
    return arguments


class KiwiSpacyTokenizer:
    """spaCy tokenizer at Kiwi morpheme boundaries, like the Rasa `KiwiTokenizer` but keeping punctuation."""

    def __init__(self, vocab: "Vocab") -> None:
        """Tokenizer sharing the pipeline's vocabulary."""
        self.vocab = vocab

    def __call__(self, text: str) -> "Doc":
        """A Doc whose `doc.text == text`, tagged with Kiwi's tags."""
        from spacy.tokens import Doc

        return Doc(self.vocab, **doc_arguments(text, kiwi_token_spans(text, analyse(text))))

    # Nothing to save: Kiwi's model ships with kiwipiepy. The file records what tokenised.
    def to_disk(self, path: Path, **kwargs: Any) -> None:
        """Writes a note naming the analyser."""
        Path(path).write_text(json.dumps({"tokenizer": KIWI_TOKENIZER, "analyser": "kiwipiepy"}))

    def from_disk(self, path: Path, **kwargs: Any) -> "KiwiSpacyTokenizer":
        """Nothing to read."""
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        """Nothing to serialise."""
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> "KiwiSpacyTokenizer":
        """Nothing to deserialise."""
        return self


# ------------------------------------------------------------------------- pattern entities pipe
@dataclass(frozen=True)
class _Candidate:
    entity: str
    value: str
    start: int
    end: int
    from_ruler: bool


class KoreanRuleEntities:
    """spaCy pipe: adds pattern entities to the ruler's; longest wins, ties go to the ruler.

    Kiwi segments a compound differently by context (출생증명서 alone is one token, in
    "출생증명서 있어요" two; "아내 번호는" even becomes 아 + 내), which a token-level phrase match
    cannot see. So the ruler's Korean phrases are also looked up in the text, spacing-insensitive,
    and kept where both edges fall on token boundaries: 부 still never matches inside 부모.
    """

    def __init__(self, nlp: "Language") -> None:
        """`today` (None: the real today) resolves relative dates; tests set it."""
        self.today: Optional[date] = None
        self._nlp = nlp
        self._phrases: Optional[List[Tuple["re.Pattern[str]", str, str]]] = None

    def __call__(self, doc: "Doc") -> "Doc":
        """Sets `doc.ents` (values in `ent.id_`), splitting tokens where an entity edge falls inside one."""
        candidates = [_Candidate(e.label_, e.id_ or e.text, e.start_char, e.end_char, True) for e in doc.ents]
        candidates += self._phrase_candidates(doc)
        candidates += [
            _Candidate(m.entity, m.value, m.start, m.end, False)
            for m in find_rule_entities(doc.text, self.today or date.today())
        ]
        chosen = resolve_overlaps(candidates, span=lambda c: (c.start, c.end), preference=lambda c: int(c.from_ruler))
        _split_tokens_at(doc, {edge for c in chosen for edge in (c.start, c.end)})
        doc.ents = [span for span in (_entity_span(doc, c) for c in chosen) if span is not None]
        return doc

    def _phrase_candidates(self, doc: "Doc") -> List[_Candidate]:
        edges = {t.idx for t in doc} | {t.idx + len(t) for t in doc}
        return [
            _Candidate(label, value, m.start(), m.end(), True)
            for pattern, label, value in self._korean_phrases()
            for m in pattern.finditer(doc.text)
            if m.start() in edges and m.end() in edges
        ]

    def _korean_phrases(self) -> List[Tuple["re.Pattern[str]", str, str]]:
        # Built on first use: a loaded pipeline gets its ruler patterns after this pipe exists.
        if self._phrases is None:
            patterns = self._nlp.get_pipe("entity_ruler").patterns if "entity_ruler" in self._nlp.pipe_names else []
            self._phrases = [
                (re.compile(r"\s*".join(re.escape(ch) for ch in p["pattern"] if not ch.isspace())), p["label"], p.get("id") or p["pattern"])
                for p in patterns
                if isinstance(p["pattern"], str) and _HANGUL.search(p["pattern"])
            ]
        return self._phrases


def _split_tokens_at(doc: "Doc", offsets: Iterable[int]) -> None:
    """Splits tokens so every offset is a token boundary (Kiwi reads 2일생 as 2 + 일생)."""
    offsets = sorted(set(offsets))
    with doc.retokenize() as retokenizer:
        for token in doc:
            cuts = [o - token.idx for o in offsets if token.idx < o < token.idx + len(token)]
            if cuts:
                bounds = [0, *cuts, len(token)]
                pieces = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
                retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces), attrs={"TAG": [token.tag_] * len(pieces)})


def _entity_span(doc: "Doc", candidate: _Candidate) -> Optional[Any]:
    from spacy.tokens import Span

    tokens = doc.char_span(candidate.start, candidate.end)
    if tokens is None:  # an edge inside whitespace; patterns never produce one
        return None
    return Span(doc, tokens.start, tokens.end, label=candidate.entity, span_id=candidate.value)


# ------------------------------------------------------------------------------------- pipeline
def register_spacy_components() -> None:
    """Registers the Kiwi tokenizer and the pattern pipe with spaCy (needed to build or load)."""
    import spacy
    from spacy.language import Language

    if spacy.registry.has("tokenizers", KIWI_TOKENIZER):
        return

    @spacy.registry.tokenizers(KIWI_TOKENIZER)
    def create_kiwi_tokenizer() -> Any:
        def make_tokenizer(nlp: Language) -> KiwiSpacyTokenizer:
            return KiwiSpacyTokenizer(nlp.vocab)

        return make_tokenizer

    @Language.factory(RULE_ENTITIES)
    def create_rule_entities(nlp: Language, name: str) -> KoreanRuleEntities:
        return KoreanRuleEntities(nlp)


def service_synonyms(entity_synonyms: Mapping[str, str]) -> Dict[str, str]:
    """The service entries of Rasa's synonyms (text -> service id), plus each id in words.

    A service id names a knowledge-base guide (`birth-registration`); requiring that shape keeps
    an inline synonym of a phone or RRN annotation from becoming a persisted pattern.
    """
    services = {
        text: value
        for text, value in entity_synonyms.items()
        if value not in NON_SERVICE_VALUES and SERVICE_ID.fullmatch(value)
    }
    for service_id in set(services.values()):
        services.setdefault(service_id.replace("-", " "), service_id)  # "passport", "local tax payment"
    return services


def load_service_synonyms(path: Path = DEFAULT_SYNONYMS_FILE) -> Dict[str, str]:
    """`service_synonyms` of a Rasa synonyms file (nlu_data/nlu/synonyms.yml by default)."""
    from rasa.shared.nlu.training_data.loading import load_data

    return service_synonyms(load_data(str(path)).entity_synonyms)


def entity_ruler_patterns(services: Mapping[str, str]) -> List[Dict[str, Any]]:
    """Patterns with ids: services, document types, relations (a service wins a shared text)."""
    patterns: List[Dict[str, Any]] = [
        {"label": SERVICE, "pattern": text, "id": value} for text, value in sorted(services.items())
    ]
    service_texts = {text.lower() for text in services}
    for label, table in ((DOCUMENT_TYPE, DOCUMENT_TYPES), (RELATION, RELATIONS)):
        for value, forms in table.items():
            for form in forms:
                if form.lower() in service_texts:
                    continue
                if label == RELATION and form.isascii():
                    patterns += _english_relation_patterns(form, value)
                else:
                    patterns.append({"label": label, "pattern": form, "id": value})
    return patterns


def _english_relation_patterns(word: str, relation: str) -> List[Dict[str, Any]]:
    """`son`, `SON`, or `Son` opening the text; a title-case `Son` inside a sentence is a name."""
    return [
        {"label": RELATION, "pattern": [{"LOWER": word, "IS_TITLE": False}], "id": relation},
        {"label": RELATION, "pattern": [{"LOWER": word, "IS_SENT_START": True}], "id": relation},
    ]


def build_entity_pipeline(services: Optional[Mapping[str, str]] = None, today: Optional[date] = None) -> "Language":
    """The blank multi-language pipeline: Kiwi tokenizer, entity ruler, pattern entities.

    Args:
        services: synonym text -> service id; None reads `DEFAULT_SYNONYMS_FILE`.
        today: the day relative dates resolve against; None means the real today.
    """
    import spacy

    register_spacy_components()
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": KIWI_TOKENIZER}}})
    # Token-level phrase matching: 부 matches the word 부, never the 부 of 부모급여.
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns(entity_ruler_patterns(load_service_synonyms() if services is None else services))
    nlp.add_pipe(RULE_ENTITIES).today = today
    return nlp


def entities_of(doc: "Doc") -> List[Dict[Text, Any]]:
    """Rasa entity dicts for `doc.ents`, values normalised, confidence 1.0 (rules are certain)."""
    return [
        {
            ENTITY_ATTRIBUTE_TYPE: ent.label_,
            ENTITY_ATTRIBUTE_VALUE: ent.id_ or ent.text,
            ENTITY_ATTRIBUTE_START: ent.start_char,
            ENTITY_ATTRIBUTE_END: ent.end_char,
            "confidence_entity": 1.0,
        }
        for ent in doc.ents
    ]


# --------------------------------------------------------------------------------- Rasa component
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class KoreanEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Dates, phones, masked RRNs, counts, addresses, document types, relations and services.

    Also masks the value of any `rrn` entity another extractor (the CRF, or DIET) found earlier in the pipeline.
    """

    PIPELINE_DIRECTORY = "spacy_pipeline"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """`today`: ISO date relative dates resolve against (None: the real today, for tests).
        `dimensions`: entity types to return (None: all)."""
        return {"today": None, "dimensions": None}

    @staticmethod
    def required_packages() -> List[Text]:
        """spaCy for the pipeline, Kiwi for its tokens."""
        return ["spacy", "kiwipiepy"]

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        nlp: Optional["Language"] = None,
    ) -> None:
        """Extractor around a built or loaded pipeline (None until trained)."""
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._today = date.fromisoformat(self._config["today"]) if self._config["today"] else None
        self._nlp = nlp
        if nlp is not None:
            nlp.get_pipe(RULE_ENTITIES).today = self._today

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KoreanEntityExtractor":
        """Untrained extractor (see parent class for full docstring)."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Builds the pipeline with the training data's service synonyms and persists it."""
        self._nlp = build_entity_pipeline(service_synonyms(training_data.entity_synonyms), self._today)
        self.persist()
        return self._resource

    def persist(self) -> None:
        """Saves the spaCy pipeline (config, ruler patterns, vocab) into the model storage."""
        with self._model_storage.write_to(self._resource) as directory:
            self._nlp.to_disk(directory / self.PIPELINE_DIRECTORY)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "KoreanEntityExtractor":
        """Loads the persisted pipeline (see parent class for full docstring)."""
        import spacy

        register_spacy_components()
        try:
            with model_storage.read_from(resource) as directory:
                nlp = spacy.load(directory / cls.PIPELINE_DIRECTORY)
        except (ValueError, OSError):
            rasa.shared.utils.io.raise_warning(
                f"Failed to load {cls.__name__} from model storage; it will extract no entities."
            )
            nlp = None
        return cls(config, model_storage, resource, nlp)

    def process(self, messages: List[Message]) -> List[Message]:
        """Appends this extractor's entities to each message's and masks other extractors' RRNs."""
        if self._nlp is None:
            rasa.shared.utils.io.raise_warning(
                f"{self.__class__.__name__} is not trained; continuing without its entities."
            )
            return messages
        for message in messages:
            existing = [self._masked(entity) for entity in message.get(ENTITIES, [])]
            extracted = self.add_extractor_name(entities_of(self._nlp(message.get(TEXT) or "")))
            extracted = self.filter_irrelevant_entities(extracted, self._config["dimensions"])
            message.set(ENTITIES, existing + extracted, add_to_output=True)
        return messages

    def _masked(self, entity: Dict[Text, Any]) -> Dict[Text, Any]:
        """An RRN from another extractor keeps only its first seven digits."""
        if entity.get(ENTITY_ATTRIBUTE_TYPE) != RRN or entity.get(EXTRACTOR) == self.name:
            return entity
        value = entity.get(ENTITY_ATTRIBUTE_VALUE)
        if isinstance(value, str) and redact_rrn_digits(value) != value:
            entity[ENTITY_ATTRIBUTE_VALUE] = redact_rrn_digits(value)
            self.add_processor_name(entity)
        return entity


def spans_of(entities: Iterable[Dict[Text, Any]]) -> List[Tuple[str, int, int]]:
    """(entity, start, end) of Rasa entity dicts, for tests and the evaluation report."""
    return [(e[ENTITY_ATTRIBUTE_TYPE], e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]) for e in entities]
