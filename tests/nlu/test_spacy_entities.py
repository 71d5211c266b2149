"""KoreanEntityExtractor and its spaCy pipeline, tested the way Rasa tests its extractors:
(text, expected entities) tables, and the train -> persist -> load cycle on Rasa's model storage.

Runs in `.venv-rasa` (it imports Rasa and spaCy)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.language.korean import analyse
from assistant.nlu.spacy_entities import (
    KoreanEntityExtractor,
    build_entity_pipeline,
    doc_arguments,
    entities_of,
    kiwi_token_spans,
    load_service_synonyms,
    service_synonyms,
)

TODAY = date(2026, 3, 10)  # a Tuesday
SERVICES = {
    "출생신고": "birth-registration",
    "출생 신고": "birth-registration",
    "아기 출생신고": "birth-registration",
    "birth registration": "birth-registration",
    "전입신고": "move-in-report",
    "등초본": "resident-registration-certificate",
    "여권": "passport",
    "주민등록증": "resident-id-card",
    "resident ID card": "resident-id-card",
    "ARC": "alien-registration",
}
RRN_DIGITS = re.compile(r"\d{6}\s?-?\s?\d{7}")


@pytest.fixture(scope="module")
def nlp() -> Any:
    return build_entity_pipeline(SERVICES, today=TODAY)


def found(nlp: Any, text: str) -> list[tuple[str, str, str]]:
    """(entity, matched text, value) of every entity, checking spans slice the text."""
    entities = entities_of(nlp(text))
    assert all(0 <= e["start"] < e["end"] <= len(text) for e in entities)
    return [(e["entity"], text[e["start"] : e["end"]], e["value"]) for e in entities]


# ---------------------------------------------------------------------------------- tokenizer
@pytest.mark.parametrize(
    ("text", "expected_tokens"),
    [
        ("등본을 떼려고요", ["등본", "을", "떼", "려고", "요"]),
        ("신고했어요", ["신고", "했", "어요"]),  # 했 = 하 + 었: one token
        ("010-1234-5678으로 연락 주세요", ["010-1234-5678", "으로", "연락", "주", "세요"]),
        ("네!!", ["네", "!!"]),  # punctuation stays: spaCy must cover every character
        # Kiwi keeps "birth." whole and cuts "a birth. Then" into bi + rth.: English words come out whole.
        ("I want to register a birth.", ["I", "want", "to", "register", "a", "birth", "."]),
        ("a birth. Then", ["a", "birth", ".", "Then"]),
    ],
)
def test_kiwi_tokens(nlp: Any, text: str, expected_tokens: list[str]) -> None:
    assert [t.text for t in nlp.make_doc(text)] == expected_tokens


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "출생신고하고싶어요",
        "  앞에 공백, 가운데  두 칸\t탭\n줄바꿈 그리고 끝 공백 ",
        "여권 renew 하고 싶어요!",
        "엄마고 이름은 최수아예요 🙂",
        "등·초본 (주민등록표) — 발급",
        "ㅇㅇ ㅋㅋㅋ",
        "+82 10 2222 3333",
    ],
)
def test_doc_round_trips_the_text(nlp: Any, text: str) -> None:
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)


def test_token_spans_merge_overlapping_morphemes_and_keep_skipped_characters() -> None:
    text = "했어요"
    spans = kiwi_token_spans(text, analyse(text))
    assert [(s.start, s.end, s.lemma) for s in spans] == [(0, 1, "하+었"), (1, 3, "어요")]
    arguments = doc_arguments("a  b", kiwi_token_spans("a  b", analyse("a  b")))
    assert arguments["words"] == ["a", " ", "b"]
    assert arguments["spaces"] == [True, False, False]


# ----------------------------------------------------------------------------------- entities
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Korean
        ("2026년 3월 5일", [("date", "2026년 3월 5일", "2026-03-05")]),
        ("어제요", [("date", "어제", "2026-03-09")]),
        ("아기는 딸이고 3월 2일생이에요", [("relation", "딸", "child"), ("date", "3월 2일", "2026-03-02")]),
        ("핸드폰 번호 010-4567-8901", [("phone", "010-4567-8901", "010-4567-8901")]),
        ("제 폰번호 01011112222", [("phone", "01011112222", "010-1111-2222")]),
        ("주민번호는 850315-2345678입니다", [("rrn", "850315-2345678", "850315-2******")]),
        ("등본 한 통이랑 초본 한 통이요",
         [("document_type", "등본", "등본"), ("count", "한 통", "1"), ("document_type", "초본", "초본"), ("count", "한 통", "1")]),
        ("주민등록초본 2부 발급해줘", [("document_type", "주민등록초본", "초본"), ("count", "2부", "2")]),
        ("출생증명서 있어요", [("document_type", "출생증명서", "출생증명서")]),
        ("둥본 하나 떼줘", [("document_type", "둥본", "등본")]),
        ("부산 해운대구 센텀중앙로 79 101동 1203호요", [("address", "부산 해운대구 센텀중앙로 79 101동 1203호", "부산 해운대구 센텀중앙로 79 101동 1203호")]),
        ("경기도 성남시 분당구 정자동 178-1", [("address", "경기도 성남시 분당구 정자동 178-1", "경기도 성남시 분당구 정자동 178-1")]),
        ("신고인은 부입니다", [("relation", "부", "father")]),
        ("모", [("relation", "모", "mother")]),
        ("아내 번호는 010-4040-5050이에요", [("relation", "아내", "spouse"), ("phone", "010-4040-5050", "010-4040-5050")]),
        ("제가 본인이에요", [("relation", "본인", "self")]),
        ("할머니가 대신 출생신고 해도 돼요?", [("relation", "할머니", "grandmother"), ("service", "출생신고", "birth-registration")]),
        ("출생 신고 하고 싶어요", [("service", "출생 신고", "birth-registration")]),
        ("아기 출생신고 할래요", [("service", "아기 출생신고", "birth-registration")]),
        ("등초본 대리 발급 되나요?", [("service", "등초본", "resident-registration-certificate")]),
        # English
        ("call me at +82-10-3333-4444", [("phone", "+82-10-3333-4444", "010-3333-4444")]),
        ("RRN 910417-1029384", [("rrn", "910417-1029384", "910417-1******")]),
        ("give me 2 copies of the abstract", [("count", "2 copies", "2"), ("document_type", "abstract", "초본")]),
        ("I need a copy of my resident registration", [("document_type", "copy of my resident registration", "등본")]),
        ("my wife gave birth on March 5th", [("relation", "wife", "spouse"), ("date", "March 5th", "2026-03-05")]),
        ("Father", [("relation", "Father", "father")]),
        ("I'm her father.", [("relation", "father", "father")]),
        ("I need a copy of resident registration.", [("document_type", "copy of resident registration", "등본")]),
        ("it's for myself", [("relation", "myself", "self")]),
        ("how long does an ARC take?", [("service", "ARC", "alien-registration")]),
        ("how do I get a resident ID card reissued?", [("service", "resident ID card", "resident-id-card")]),
        ("my address is 209 Sejong-daero, Jongno-gu, Seoul", [("address", "209 Sejong-daero, Jongno-gu, Seoul", "209 Sejong-daero, Jongno-gu, Seoul")]),
        ("two days ago", [("date", "two days ago", "2026-03-08")]),
        # Mixed
        ("본인 초본 2부요", [("relation", "본인", "self"), ("document_type", "초본", "초본"), ("count", "2부", "2")]),
        ("my number is 010-2468-1357 이에요", [("phone", "010-2468-1357", "010-2468-1357")]),
        ("birth registration 어제 했어요", [("service", "birth registration", "birth-registration"), ("date", "어제", "2026-03-09")]),
        ("홍길순 860101-2345678 서울 중구 세종대로 110",
         [("rrn", "860101-2345678", "860101-2******"), ("address", "서울 중구 세종대로 110", "서울 중구 세종대로 110")]),
    ],
)
def test_entities(nlp: Any, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("두 부요", [("count", "두 부", "2")]),  # the longer count beats the relation 부
        ("1부", [("count", "1부", "1")]),
        ("부모급여 한 달에 얼마", []),  # 부 inside 부모 is no relation
        ("모든 서류", []),
        ("딸기 주세요", []),
        ("세부 사항 알려주세요", []),
        ("did Son Heung-min score?", []),  # a title-case relation word mid-sentence is a name
        ("주민등록증 재발급", [("service", "주민등록증", "resident-id-card")]),
        ("접수번호 2026-BR-000123 처리 상태", []),
        ("접수한 지 3일 됐는데 진행 상황이 어떻게 되나요?", []),
    ],
)
def test_overlaps_and_false_friends(nlp: Any, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(nlp, text) == expected


def test_entity_edges_inside_kiwi_tokens_split_them(nlp: Any) -> None:
    doc = nlp("3월 2일생이에요")
    assert [(e.text, e.label_) for e in doc.ents] == [("3월 2일", "date")]
    assert doc.text == "3월 2일생이에요"


@pytest.mark.parametrize(
    "text",
    ["900101-1234567", "0503154234567", "이름 이서준 주민번호 900101-1234567", "RRN 910417 - 1029384 please"],
)
def test_rrn_is_never_unmasked(nlp: Any, text: str) -> None:
    doc = nlp(text)
    values = [e.id_ for e in doc.ents] + [e["value"] for e in entities_of(doc)]
    assert any(v.endswith("******") for v in values)
    assert not any(RRN_DIGITS.search(v) for v in values)


def test_service_synonyms_leave_out_relations_and_document_types() -> None:
    services = service_synonyms({
        "출생신고": "birth-registration", "아빠": "father", "주민등록등본": "등본",
        "010-1234-5678": "01012345678", "900101-1234567": "9001011234567",  # inline synonyms of other types
    })
    assert services == {"출생신고": "birth-registration", "birth registration": "birth-registration"}


def test_service_synonyms_from_the_project_file() -> None:
    services = load_service_synonyms()
    assert services["출생신고"] == "birth-registration"
    assert services["passport"] == "passport"  # the id in words
    assert {"father", "등본"}.isdisjoint(services.values())


# ----------------------------------------------------------------------------- Rasa component
@pytest.fixture()
def model_storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.fixture()
def execution_context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test-model")


def training_data() -> TrainingData:
    examples = [Message(data={TEXT: "출생신고 할게요", "intent": "apply", ENTITIES: [
        {"entity": "service", "start": 0, "end": 4, "value": "출생신고"}]})]
    return TrainingData(examples, entity_synonyms={**SERVICES, "아빠": "father"})


def trained_and_loaded(
    model_storage: LocalModelStorage, execution_context: ExecutionContext, **config: Any
) -> KoreanEntityExtractor:
    resource = Resource("korean_entity_extractor")
    config = {**KoreanEntityExtractor.get_default_config(), "today": TODAY.isoformat(), **config}
    trained = KoreanEntityExtractor.create(config, model_storage, resource, execution_context)
    assert trained.train(training_data()) == resource
    return KoreanEntityExtractor.load(config, model_storage, resource, execution_context)


def test_train_persist_load_cycle(model_storage: LocalModelStorage, execution_context: ExecutionContext) -> None:
    extractor = trained_and_loaded(model_storage, execution_context)
    with model_storage.read_from(Resource("korean_entity_extractor")) as directory:
        saved = {p.name for p in (directory / KoreanEntityExtractor.PIPELINE_DIRECTORY).iterdir()}
    assert {"config.cfg", "entity_ruler", "tokenizer"} <= saved

    text = "어제 태어난 아기 출생신고 할게요 010-1234-5678, 900101-1234567"
    (message,) = extractor.process([Message(data={TEXT: text})])
    assert message.get(ENTITIES) == [
        {"entity": "date", "value": "2026-03-09", "start": 0, "end": 2,
         "confidence_entity": 1.0, "extractor": "KoreanEntityExtractor"},
        {"entity": "service", "value": "birth-registration", "start": 7, "end": 14,
         "confidence_entity": 1.0, "extractor": "KoreanEntityExtractor"},
        {"entity": "phone", "value": "010-1234-5678", "start": 19, "end": 32,
         "confidence_entity": 1.0, "extractor": "KoreanEntityExtractor"},
        {"entity": "rrn", "value": "900101-1******", "start": 34, "end": 48,
         "confidence_entity": 1.0, "extractor": "KoreanEntityExtractor"},
    ]
    assert text[7:14] == "아기 출생신고" and text[34:48] == "900101-1234567"


def test_process_appends_and_masks_other_extractors_rrn(
    model_storage: LocalModelStorage, execution_context: ExecutionContext
) -> None:
    extractor = trained_and_loaded(model_storage, execution_context)
    crf_rrn = {"entity": "rrn", "value": "900101-1234567", "start": 6, "end": 20, "extractor": "CRFEntityExtractor"}
    crf_name = {"entity": "person_name", "value": "이서준", "start": 0, "end": 3, "extractor": "CRFEntityExtractor"}
    message = Message(data={TEXT: "이서준 주민 900101-1234567", ENTITIES: [crf_name, crf_rrn]})
    (message,) = extractor.process([message])
    entities = message.get(ENTITIES)
    assert entities[0] == crf_name
    assert entities[1]["value"] == "900101-1******"
    assert entities[1]["processors"] == ["KoreanEntityExtractor"]
    assert entities[2]["extractor"] == "KoreanEntityExtractor" and entities[2]["value"] == "900101-1******"
    assert not any(RRN_DIGITS.search(str(e["value"])) for e in entities)


def test_dimensions_limit_the_entity_types(
    model_storage: LocalModelStorage, execution_context: ExecutionContext
) -> None:
    extractor = trained_and_loaded(model_storage, execution_context, dimensions=["phone"])
    (message,) = extractor.process([Message(data={TEXT: "아빠 번호 010-1234-5678"})])
    assert [(e["entity"], e["value"]) for e in message.get(ENTITIES)] == [("phone", "010-1234-5678")]


def test_process_handles_empty_text(model_storage: LocalModelStorage, execution_context: ExecutionContext) -> None:
    extractor = trained_and_loaded(model_storage, execution_context)
    (message,) = extractor.process([Message(data={TEXT: ""})])
    assert message.get(ENTITIES) == []


def test_untrained_extractor_warns_and_leaves_messages(
    model_storage: LocalModelStorage, execution_context: ExecutionContext
) -> None:
    config = KoreanEntityExtractor.get_default_config()
    with pytest.warns(UserWarning):
        extractor = KoreanEntityExtractor.load(config, model_storage, Resource("missing"), execution_context)
    message = Message(data={TEXT: "010-1234-5678"})
    with pytest.warns(UserWarning):
        extractor.process([message])
    assert message.get(ENTITIES) is None


def test_required_packages() -> None:
    assert KoreanEntityExtractor.required_packages() == ["spacy", "kiwipiepy"]
