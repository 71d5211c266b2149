"""Validators shared by the forms: plain functions returning (value, reason-key)."""

from __future__ import annotations

import re
from datetime import date

from assistant.language.dates import ImpossibleDate, parse_date

HANGUL_NAME = re.compile(r"^[가-힣]{2,6}$")
# Endings citizens add around a name: "김하늘이요", "이름은 김하늘입니다", "김하늘로 해주세요".
_NAME_PREFIX = re.compile(r"^(?:(?:아기|아이|애기|우리\s*아기)?\s*이름(?:은|을|이)?\s*)")
_NAME_SUFFIX = re.compile(r"(?:이라고\s*해요|라고\s*해요|이라고요|라고요|입니다|이에요|예요|이요|으로요|로요|요|\.|!)+$")


def clean_name(text: str) -> str:
    """The bare name from an answer such as "이름은 김하늘이에요"."""
    name = _NAME_PREFIX.sub("", text.strip())
    name = _NAME_SUFFIX.sub("", name).strip()
    return name.replace(" ", "")


def validate_hangul_name(text: str) -> tuple[str | None, str | None]:
    """A Hangul name of 2 to 6 syllables (Korean naming rules), or the reason it is not."""
    name = clean_name(text)
    if HANGUL_NAME.match(name):
        return name, None
    return None, "name_invalid"


def validate_past_date(
    text: str, today: date | None = None, future_reason: str = "birth_in_future"
) -> tuple[date | None, str | None]:
    """A date not after today, or the reason it is refused (unreadable, impossible, future)."""
    today = today or date.today()
    try:
        value = parse_date(text, today)
    except ImpossibleDate:
        return None, "date_impossible"
    if value is None:
        return None, "date_unreadable"
    if value > today:
        return None, future_reason
    return value, None


# ------------------------------------------------------------------------------ birth registration
_FEMALE = re.compile(r"여자|여아|딸|여성|\bgirl\b|\bfemale\b|\bdaughter\b|^f$", re.I)
_MALE = re.compile(r"남자|남아|아들|남성|\bboy\b|\bmale\b|\bson\b|^m$", re.I)
_HOME = re.compile(r"^(?:우리\s*)?(?:집|자택)|\bat home\b|^home$", re.I)
_PLACE_ENDING = re.compile(r"(?:에서\s*(?:태어났어요|낳았어요|출생했어요|태어났습니다))|(?:이요|입니다|이에요|예요|요)$")
_CHOICE_OTHER = re.compile(r"할머니|할아버지|친족|grandmother|grandfather|relative", re.I)


def validate_sex(text: str) -> tuple[str | None, str | None]:
    """"F" or "M" from 여자/딸/girl/female or 남자/아들/boy/male."""
    female, male = bool(_FEMALE.search(text.strip())), bool(_MALE.search(text.strip()))
    if female != male:
        return ("F" if female else "M"), None
    return None, "sex_invalid"


def validate_birth_time(text: str) -> tuple[str | None, str | None]:
    """"HH:MM" from 오후 3시 20분, 15:20, 3:20 pm."""
    from assistant.language.times import parse_time

    value = parse_time(text)
    return (value.strftime("%H:%M"), None) if value else (None, "time_invalid")


def validate_birth_place(text: str) -> tuple[str | None, str | None]:
    """A hospital, clinic or home: 2 to 60 characters of text ("집" becomes 자택)."""
    place = _PLACE_ENDING.sub("", text.strip()).strip(" .!")
    if _HOME.search(place):
        return "자택", None
    if 2 <= len(place) <= 60 and not place.startswith("/"):
        return place, None
    return None, "place_invalid"


def validate_reporter_relation(text: str) -> tuple[str | None, str | None]:
    """Who files: "father", "mother" or "other" (a relative living with the child)."""
    from assistant.language.entity_patterns import RELATIONS

    lowered = text.lower()
    for relation in ("father", "mother"):
        if any(re.search(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w), lowered)
               for w in RELATIONS[relation] if len(w) > 1):
            return relation, None
    if _CHOICE_OTHER.search(text):
        return "other", None
    return None, "relation_invalid"


_BASE = re.compile(r"[가-힣]+(?:시|도)\s+(?:[가-힣]+(?:시|군|구)\s+){0,2}[가-힣0-9]+(?:동|읍|면|리|가|로|길)(?:\s+\d|$)")


def validate_registration_base(text: str) -> tuple[str | None, str | None]:
    """An address-like 등록기준지: 시/도, 시/군/구 and 동/읍/면 (a lot number may follow)."""
    value = " ".join(text.strip().split()).rstrip(".")
    value = re.sub(r"(?:이에요|예요|입니다|이요|요)$", "", value)
    return (value, None) if _BASE.search(value) else (None, "base_invalid")


# ------------------------------------------------------------------------------------- move-in
_ROAD_NUMBER = re.compile(r"(?:대로|로|길)\s*\d")


def validate_road_address(text: str) -> tuple[str | None, str | None]:
    """A road-name address (시/도 + 시/군/구 + 로/길 + building number, unit optional)."""
    from assistant.language.entity_patterns import find_addresses

    for match in find_addresses(text):
        if _ROAD_NUMBER.search(match.value) or re.search(r"-(?:daero|ro|gil)\b", match.value):
            return match.value, None
    return None, "address_invalid"


MOVE_IN_DEADLINE_DAYS = 14  # 주민등록법 제16조: within 14 days of moving


def validate_move_date(text: str, today: date | None = None) -> tuple[date | None, str | None]:
    """The day of the move: not in the future (a move-in is reported after moving)."""
    return validate_past_date(text, today, future_reason="move_in_future")


_ALL = re.compile(r"전원|모두|다\s*같이|가족\s*전부|온\s*가족|\beveryone\b|\ball\b|\bwhole family\b", re.I)
_ONLY_ME = re.compile(r"본인만|저만|나만|저\s*혼자|나\s*혼자|혼자|\bjust me\b|\bonly me\b|\bmyself\b|\bme only\b", re.I)
_ME = re.compile(r"저|나|본인|\bme\b|\bi\b|\bmyself\b", re.I)
_RELATION_WORDS = {
    "spouse": re.compile(r"배우자|아내|남편|와이프|\bwife\b|\bhusband\b|\bspouse\b", re.I),
    "child": re.compile(r"자녀|아이|아들|딸|애들|\bchild(?:ren)?\b|\bson\b|\bdaughter\b|\bkids?\b", re.I),
    "parent": re.compile(r"부모|어머니|아버지|엄마|아빠|\bparents?\b|\bmother\b|\bfather\b", re.I),
}


def validate_moving_members(text: str, me: str, household: list[dict]) -> tuple[list[str] | None, str | None]:
    """Who moves: everyone, just me, or named members / relations ("저랑 아내"). Names in household order."""
    everyone = [me] + [m["name"] for m in household]
    if _ONLY_ME.search(text):
        return [me], None
    if _ALL.search(text):
        return everyone, None
    chosen = [m["name"] for m in household
              if m["name"] in text or (m["relation"] in _RELATION_WORDS and _RELATION_WORDS[m["relation"]].search(text))]
    if me in text or _ME.search(text):
        chosen = [me, *chosen]
    return (chosen, None) if chosen else (None, "members_invalid")


# ------------------------------------------------------------------------ resident certificate
_DIGITS_ONLY = re.compile(r"^\s*(\d{1,3})\s*(?:부|통|장|copies|copy)?\s*(?:이요|요)?\s*$", re.I)


def validate_certificate_type(text: str) -> tuple[str | None, str | None]:
    """등본 or 초본 (also 주민등록등본, "copy", "abstract")."""
    from assistant.language.entity_patterns import document_type_of, find_document_types

    if text in ("등본", "초본"):
        return text, None
    for match in find_document_types(text):
        if match.value in ("등본", "초본"):
            return match.value, None
    kind = document_type_of(text.strip())
    if kind in ("등본", "초본"):
        return kind, None
    if re.search(r"\bcopy\b|\bcertified\b", text, re.I):
        return "등본", None
    return None, "certificate_type_invalid"


def validate_copies(text: str) -> tuple[int | None, str | None]:
    """1 to 10 copies (2부, 세 통, 3 copies, or a bare number)."""
    from assistant.language.entity_patterns import find_counts

    counts = find_counts(text)
    m = _DIGITS_ONLY.match(text)
    number = int(counts[0].value) if counts else (int(m.group(1)) if m else None)
    if number is None:
        return None, "copies_invalid"
    return (number, None) if 1 <= number <= 10 else (None, "copies_range")


CERTIFICATE_OPTIONS = ("standard", "with_history", "show_digits", "with_history_show_digits")
_HISTORY = re.compile(r"과거\s*주소|주소\s*변동|이전\s*주소|past address|address history|previous address", re.I)
_SHOW_DIGITS = re.compile(r"뒷자리\s*(?:도\s*)?(?:보이|표시|포함|나오|넣)|show (?:the )?(?:back )?digits|full number", re.I)
_NOT = re.compile(r"빼|제외|없이|말고|안\s|않|가려|가리|숨|mask|hide|without|no\b", re.I)
_BOTH = re.compile(r"둘\s*다|모두\s*포함|다\s*포함|\bboth\b", re.I)
_STANDARD = re.compile(r"기본|아니요|아니오|괜찮|필요\s*없|없어요|\bdefault\b|\bstandard\b|\bno\b|\bnone\b", re.I)


def validate_certificate_options(text: str) -> tuple[str | None, str | None]:
    """Past addresses included or not, back digits shown or masked -> one of CERTIFICATE_OPTIONS."""
    if text in CERTIFICATE_OPTIONS:
        return text, None
    if _BOTH.search(text):
        return "with_history_show_digits", None
    history = bool(_HISTORY.search(text)) and not _clause_negated(text, _HISTORY)
    digits = bool(_SHOW_DIGITS.search(text)) and not _clause_negated(text, _SHOW_DIGITS)
    if history or digits:
        return "_".join(part for part, wanted in (("with_history", history), ("show_digits", digits)) if wanted), None
    if _STANDARD.search(text) or _HISTORY.search(text) or re.search(r"뒷자리|digits", text, re.I):
        return "standard", None  # "과거 주소는 빼 주세요", "뒷자리 가려 주세요"
    return None, "options_invalid"


def _clause_negated(text: str, pattern: re.Pattern[str]) -> bool:
    m = pattern.search(text)
    assert m is not None
    return bool(_NOT.search(text[m.end(): m.end() + 12]))


_PURPOSE_ENDING = re.compile(r"(?:이에요|예요|입니다|이요|요|\.)+$")


def validate_purpose(text: str) -> tuple[str | None, str | None]:
    """What the certificate is for: 2 to 40 characters ("은행 제출용", "for my employer")."""
    value = _PURPOSE_ENDING.sub("", " ".join(text.strip().split()))
    return (value, None) if 2 <= len(value) <= 40 and not value.startswith("/") else (None, "purpose_invalid")


_PDF = re.compile(r"pdf|피디에프|파일|다운|download|e-?mail|온라인", re.I)
_PRINT = re.compile(r"출력|인쇄|프린트|키오스크|kiosk|print", re.I)


def validate_delivery(text: str) -> tuple[str | None, str | None]:
    """"pdf" (download) or "kiosk_print"."""
    if text in ("pdf", "kiosk_print"):
        return text, None
    pdf, printed = bool(_PDF.search(text)), bool(_PRINT.search(text))
    if pdf != printed:
        return ("pdf" if pdf else "kiosk_print"), None
    return None, "delivery_invalid"
