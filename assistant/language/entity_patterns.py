"""Rule-based entities citizens type into forms, each found with its character span.

Phone numbers, resident registration numbers (RRN), numbers of copies, document types, addresses
and dates, in Korean, English and mixed text. Standard library only: the Rasa components
(`.venv-rasa`, Python 3.10) and the service (`.venv`) both import it.

A resident registration number is only ever returned masked (`900101-1******`); `EntityMatch` has
no field holding the matched text, so the raw number cannot travel with a match.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar

from assistant.language.dates import ImpossibleDate, find_date

DATE, PHONE, RRN, COUNT, DOCUMENT_TYPE, ADDRESS = "date", "phone", "rrn", "count", "document_type", "address"


@dataclass(frozen=True)
class EntityMatch:
    """An entity found in text: its type, normalised value and character span `[start, end)`."""

    entity: str
    value: str
    start: int
    end: int


# ----------------------------------------------------------------------------------- phone numbers
# Mobile 01x, Seoul 02, regional 0[3-6][1-5], internet phones 070; or +82 with the leading 0 dropped.
_PHONE = re.compile(
    r"(?<![\d+])"
    r"(?:\+\s?82[-. ]?(?:\(0\))?[-. ]?(?P<intl_area>1[016789]|2|[3-6][1-5]|70)"
    r"|\(?(?P<area>01[016789]|02|0[3-6][1-5]|070)\)?)"
    r"[-. ]?(?P<exchange>\d{3,4})[-. ]?(?P<line>\d{4})(?!\d)"
)


def find_phones(text: str) -> List[EntityMatch]:
    """Korean phone numbers, each normalised to `010-1234-5678` / `02-123-4567`."""
    matches = []
    for m in _PHONE.finditer(text):
        area = m.group("area") or "0" + m.group("intl_area")
        matches.append(EntityMatch(PHONE, f"{area}-{m.group('exchange')}-{m.group('line')}", m.start(), m.end()))
    return matches


def normalise_phone(raw: str) -> Optional[str]:
    """`raw` as `010-1234-5678` if the whole string is one phone number, else None."""
    raw = raw.strip()
    found = find_phones(raw)
    return found[0].value if found and (found[0].start, found[0].end) == (0, len(raw)) else None


# --------------------------------------------------------------- resident registration numbers
_RRN = re.compile(r"(?<![\d-])(?P<birth>\d{6})\s?[-\u2013]?\s?(?P<gender>\d)(?P<serial>\d{6})(?![\d-])")
# The 7th digit encodes sex and century (1, 2, 5, 6: 1900s; 3, 4, 7, 8: 2000s; 5-8 are foreigners').
_CENTURY_BY_GENDER_DIGIT = {"1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000, "8": 2000}


def is_valid_rrn(birth: str, gender_digit: str) -> bool:
    """Whether the birth date `YYMMDD` is a real day in the century the 7th digit names.

    The check digit is not verified: numbers issued since October 2020 no longer satisfy it.
    """
    century = _CENTURY_BY_GENDER_DIGIT.get(gender_digit)
    if century is None or len(birth) != 6 or not birth.isdigit():
        return False
    year, month, day = century + int(birth[:2]), int(birth[2:4]), int(birth[4:])
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def mask_rrn(birth: str, gender_digit: str) -> str:
    """The masked form kept instead of the number: `900101-1******`."""
    return f"{birth}-{gender_digit}******"


def redact_rrn_digits(value: str) -> str:
    """`value` with every digit after the 7th replaced by `*` (for RRN text from other sources)."""
    seen = 0
    redacted = []
    for char in value:
        if char.isdigit():
            seen += 1
            char = char if seen <= 7 else "*"
        redacted.append(char)
    return "".join(redacted)


def find_rrns(text: str) -> List[EntityMatch]:
    """Valid resident registration numbers (with or without the hyphen), values masked."""
    matches = []
    for m in _RRN.finditer(text):
        if is_valid_rrn(m.group("birth"), m.group("gender")):
            matches.append(EntityMatch(RRN, mask_rrn(m.group("birth"), m.group("gender")), m.start(), m.end()))
    return matches


# ------------------------------------------------------------------------------ numbers of copies
# Native numerals as they stand before a counter (한 부, 두 통, 세 장); longest first for the regex.
KO_COUNT_NUMERALS: Dict[str, int] = {
    "열한": 11, "열두": 12, "열세": 13, "열네": 14, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
    "스무": 20, "한": 1, "두": 2, "세": 3, "석": 3, "네": 4, "넉": 4, "열": 10,
}
EN_NUMBERS: Dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
}
# A counter must end its word (두 부요, 한 장씩) so 부모, 장애, 통장, 통화, 세부 사항 stay words.
_PARTICLE = r"(?:요|만|씩|이|을|를|은|는|도|으로|로|정도|까지|랑|하고|와|과|짜리|에|의|(?<=부)면)"
_UNIT = r"(?:부|통|장)"
_COUNT_END = rf"(?=$|[^가-힣]|{_PARTICLE})"
_NATIVE = "|".join(KO_COUNT_NUMERALS)
_KO_COUNT = re.compile(
    rf"(?:(?<!\d)(?P<digits>\d{{1,2}})\s*{_UNIT}{_COUNT_END}"
    # Unspaced native numerals (두부, 세부) are words unless a particle follows (두부요 -> 2).
    rf"|(?<![가-힣])(?P<native>{_NATIVE})(?:\s+{_UNIT}{_COUNT_END}|{_UNIT}(?={_PARTICLE})))"
)
_EN_COUNT = re.compile(rf"\b(?:(?P<digits>\d{{1,2}})|(?P<word>{'|'.join(EN_NUMBERS)}))\s+cop(?:y|ies)\b", re.I)


def find_counts(text: str) -> List[EntityMatch]:
    """Numbers of copies (2부, 세 통, 한 장, 3 copies, two copies), values as integer strings."""
    matches = []
    for m in _KO_COUNT.finditer(text):
        number = int(m.group("digits")) if m.group("digits") else KO_COUNT_NUMERALS[m.group("native")]
        matches.append(EntityMatch(COUNT, str(number), m.start(), m.end()))
    for m in _EN_COUNT.finditer(text):
        number = int(m.group("digits")) if m.group("digits") else EN_NUMBERS[m.group("word").lower()]
        matches.append(EntityMatch(COUNT, str(number), m.start(), m.end()))
    return sorted(matches, key=lambda match: match.start)


# -------------------------------------------------------------------------------- document types
# Canonical name -> the ways citizens write it (Korean spacing varies; English is matched case-blind).
DOCUMENT_TYPES: Dict[str, Tuple[str, ...]] = {
    "등본": ("등본", "주민등록등본", "주민등록 등본", "둥본", "copy of resident registration",
            "copy of my resident registration", "resident registration copy"),
    "초본": ("초본", "주민등록초본", "주민등록 초본", "주민 등록 초본", "abstract", "resident registration abstract"),
    "가족관계증명서": ("가족관계증명서", "family relations certificate"),
    "기본증명서": ("기본증명서", "basic certificate"),
    "혼인관계증명서": ("혼인관계증명서", "marriage certificate"),
    "입양관계증명서": ("입양관계증명서",),
    "출생증명서": ("출생증명서", "birth certificate"),
    "사망진단서": ("사망진단서", "death certificate"),
    "신분증": ("신분증", "ID card"),
    "인감증명서": ("인감증명서",),
    "임대차계약서": ("임대차계약서", "lease contract"),
}

# Relation id -> the ways citizens name the person (부/모 are the terse forms forms ask for).
RELATIONS: Dict[str, Tuple[str, ...]] = {
    "father": ("아빠", "아버지", "부친", "부", "father", "dad"),
    "mother": ("엄마", "어머니", "모친", "모", "mother", "mom"),
    "spouse": ("배우자", "남편", "아내", "와이프", "spouse", "husband", "wife"),
    "child": ("자녀", "자식", "아들", "딸", "child", "son", "daughter"),
    "self": ("본인", "myself"),
    "grandmother": ("할머니", "grandmother"),
    "grandfather": ("할아버지", "grandfather"),
}


def _phrase_regex(phrases: Iterable[str]) -> str:
    """An alternation of phrases, longest first, flexible in Korean spacing, whole English words."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s*".join(re.escape(word) for word in phrase.split())
        parts.append(rf"\b{body}\b" if phrase.isascii() else body)
    return "|".join(parts)


_DOCUMENT_FORMS = {form.lower(): name for name, forms in DOCUMENT_TYPES.items() for form in forms}
_DOCUMENT = re.compile(_phrase_regex(_DOCUMENT_FORMS), re.I)


def document_type_of(surface: str) -> Optional[str]:
    """The canonical document type written as `surface` (주민등록등본 -> 등본), or None."""
    return _DOCUMENT_FORMS.get(" ".join(surface.split()).lower()) or _DOCUMENT_FORMS.get(surface.replace(" ", "").lower())


def find_document_types(text: str) -> List[EntityMatch]:
    """Document types (등본, 주민등록초본, 가족관계증명서, birth certificate ...), values canonical."""
    matches = []
    for m in _DOCUMENT.finditer(text):
        name = document_type_of(m.group())
        if name is not None:
            matches.append(EntityMatch(DOCUMENT_TYPE, name, m.start(), m.end()))
    return matches


# -------------------------------------------------------------------------------------- addresses
_PROVINCE = (
    "서울특별시|서울시|서울|부산광역시|부산시|부산|대구광역시|대구시|대구|인천광역시|인천시|인천|광주광역시|광주시|광주|"
    "대전광역시|대전시|대전|울산광역시|울산시|울산|세종특별자치시|세종시|세종|경기도|경기|강원특별자치도|강원도|강원|"
    "충청북도|충북|충청남도|충남|전북특별자치도|전라북도|전북|전라남도|전남|경상북도|경북|경상남도|경남|"
    "제주특별자치도|제주도|제주"
)
_DISTRICTS = r"(?:[가-힣]{1,6}(?:시|군|구)\s+){0,2}"
_TOWN = r"[가-힣0-9]{1,8}(?:읍|면)\s+"
_ROAD = r"[가-힣0-9]{1,10}(?:대로|로|길)(?:\s?\d{1,4}번?(?:길|가))?"
_LOT_AREA = r"[가-힣0-9]{1,8}(?:동|가|리)"
_NUMBER = r"(?:산\s?)?\d{1,5}(?:-\d{1,5})?(?:번지)?(?!\d)"
_DETAIL = (
    r"(?:\s+(?:[가-힣A-Za-z0-9]{1,15}(?:아파트|빌라|오피스텔|타워|맨션|빌딩)\s+)?\d{1,4}동)?"
    r"(?:\s+\d{1,3}층)?(?:\s+\d{1,5}호)?"
)
_KO_ADDRESS = re.compile(
    rf"(?<![가-힣])(?:{_PROVINCE})\s+{_DISTRICTS}"
    rf"(?:(?:{_TOWN})?{_ROAD}\s*{_NUMBER}|{_LOT_AREA}\s+{_NUMBER}){_DETAIL}"
)
# Romanised addresses: "209 Sejong-daero, Jongno-gu, Seoul" or "Seoul Mapo-gu World Cup-ro 240".
_EN_NAME = r"[A-Z][A-Za-z]*(?:[ -][A-Za-z]+)*?"
_EN_ROAD = rf"{_EN_NAME}-(?:daero|ro|gil|dong|eup|myeon)"
_EN_DISTRICT = rf"{_EN_NAME}-(?:gu|gun|si)"
_EN_NUMBER = r"\d{1,5}(?:-\d{1,5})?"
_EN_ADDRESS = re.compile(
    rf"\b(?:(?:\d{{1,4}}-\d{{1,5}},\s*)?{_EN_NUMBER}\s+{_EN_ROAD}(?:,\s*{_EN_DISTRICT})+(?:,\s*[A-Z][a-z]+(?:-si|-do)?\b)?"
    rf"|[A-Z][a-z]+\s+(?:{_EN_DISTRICT}\s+)+{_EN_ROAD}\s+{_EN_NUMBER}\b)"
)


def find_addresses(text: str) -> List[EntityMatch]:
    """Road-name and lot-number addresses (시/도 + 시/군/구 + 읍/면/동 or 로/길 + number, unit)."""
    matches = [
        EntityMatch(ADDRESS, " ".join(m.group().split()), m.start(), m.end())
        for pattern in (_KO_ADDRESS, _EN_ADDRESS)
        for m in pattern.finditer(text)
    ]
    return sorted(matches, key=lambda match: match.start)


# ------------------------------------------------------------------------------------------ dates
_MAX_DATES = 8
_BLANK = "\x00"  # stands in for found dates: matches no digit, letter, space or separator
_TRAILING_PARTICLE = re.compile(r"(?<=일)(?:에|이요|요)$")
# "3일 됐는데" is a duration, not the 3rd of the month.
_DURATION_AFTER = re.compile(r"\s*(?:째|만에|이내|안에|넘|이상|정도|됐|되|지났|지나|걸|동안|간)")
_TIME_OF_DAY = re.compile(r"\s*(?:새벽|아침|오전|오후|낮|저녁|밤)|\s+(?:morning|afternoon|evening|night)\b", re.I)
_MONTH_RELATIVE_DAY = re.compile(r"(지난|저번|이번|다음)\s*달\s*(\d{1,2})\s*일")
_MONTH_OFFSETS = {"지난": -1, "저번": -1, "이번": 0, "다음": 1}
_SINO_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_SINO_MONTHS = {"십일": 11, "십이": 12, "시": 10, "십": 10, "유": 6, **_SINO_DIGITS}
_SINO_DATE = re.compile(
    rf"(?<![가-힣])({'|'.join(_SINO_MONTHS)})월\s*((?:[이삼]?십)?[일이삼사오육칠팔구]?)일"
)
_WEEK_AGO = re.compile(r"일주일\s*전|\ba\s+week\s+ago\b", re.I)
_EN_DAYS_AGO = re.compile(rf"\b({'|'.join(EN_NUMBERS)})\s+days?\s+ago\b", re.I)


def find_dates(text: str, today: Optional[date] = None) -> List[EntityMatch]:
    """Every date in `text` (`dates.find_date`, repeated), values ISO `YYYY-MM-DD`.

    Adds what `find_date` does not read (지난달 28일, 삼월 오일, two days ago, 일주일 전), leaves out
    durations (3일 됐는데), and keeps a following time of day in the span (어제 새벽). Stops at a
    date that does not exist (2월 30일): `find_date` gives no span to skip it by.
    """
    today = today or date.today()
    matches = _extra_dates(text, today)
    work = _blanked(text, matches)
    for _ in range(_MAX_DATES):
        try:
            found = find_date(work, today)
        except ImpossibleDate:
            break
        if found is None:
            break
        work = work[: found.start] + _BLANK * (found.end - found.start) + work[found.end :]
        end = found.start + len(_TRAILING_PARTICLE.sub("", text[found.start : found.end]))
        if _DURATION_AFTER.match(text, end) and re.fullmatch(r"\d{1,2}\s*일", text[found.start : end]):
            continue
        matches.append(EntityMatch(DATE, found.value.isoformat(), found.start, _with_time_of_day(text, end)))
    return sorted(matches, key=lambda match: match.start)


def _blanked(text: str, matches: Sequence[EntityMatch]) -> str:
    for match in matches:
        text = text[: match.start] + _BLANK * (match.end - match.start) + text[match.end :]
    return text


def _with_time_of_day(text: str, end: int) -> int:
    extra = _TIME_OF_DAY.match(text, end)
    return extra.end() if extra else end


def _extra_dates(text: str, today: date) -> List[EntityMatch]:
    """Dates `find_date` misses; each finder yields (value, start, end) or skips impossible days."""
    found: List[EntityMatch] = []
    for finder in (_month_relative_days, _sino_dates, _days_ago_in_words):
        for value, start, end in finder(text, today):
            if not any(start < m.end and m.start < end for m in found):
                found.append(EntityMatch(DATE, value.isoformat(), start, _with_time_of_day(text, end)))
    return found


def _month_relative_days(text: str, today: date) -> Iterable[Tuple[date, int, int]]:
    for m in _MONTH_RELATIVE_DAY.finditer(text):
        month_index = today.year * 12 + today.month - 1 + _MONTH_OFFSETS[m.group(1)]
        value = _real_date(month_index // 12, month_index % 12 + 1, int(m.group(2)))
        if value is not None:
            yield value, m.start(), m.end()


def _sino_dates(text: str, today: date) -> Iterable[Tuple[date, int, int]]:
    for m in _SINO_DATE.finditer(text):
        day = _sino_number(m.group(2))
        month = _SINO_MONTHS[m.group(1)]
        value = _real_date(_recent_year(today, month, day), month, day) if day else None
        if value is not None:
            yield value, m.start(), m.end()


def _days_ago_in_words(text: str, today: date) -> Iterable[Tuple[date, int, int]]:
    for m in _EN_DAYS_AGO.finditer(text):
        yield today - timedelta(days=EN_NUMBERS[m.group(1).lower()]), m.start(), m.end()
    for m in _WEEK_AGO.finditer(text):
        yield today - timedelta(days=7), m.start(), m.end()


def _sino_number(word: str) -> int:
    """이십삼 -> 23, 십 -> 10, 오 -> 5; 0 for an empty word."""
    tens, _, units = word.rpartition("십")
    if "십" not in word:
        return _SINO_DIGITS.get(word, 0)
    return (_SINO_DIGITS.get(tens, 1)) * 10 + _SINO_DIGITS.get(units, 0)


def _real_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _recent_year(today: date, month: int, day: int) -> int:
    """The year of the most recent such day (citizens report past events), as `dates` does."""
    candidate = _real_date(today.year, month, day)
    return today.year if candidate is None or candidate <= today else today.year - 1


# --------------------------------------------------------------------------------------- combined
RULE_FINDERS: Dict[str, Callable[[str], List[EntityMatch]]] = {
    PHONE: find_phones, RRN: find_rrns, COUNT: find_counts, ADDRESS: find_addresses,
}

M = TypeVar("M")


def resolve_overlaps(candidates: Iterable[M], span: Callable[[M], Tuple[int, int]],
                     preference: Callable[[M], int] = lambda _: 0) -> List[M]:
    """Non-overlapping candidates, longest first; equal lengths go to the higher `preference`."""
    def rank(candidate: M) -> Tuple[int, int, int]:
        start, end = span(candidate)
        return -(end - start), -preference(candidate), start

    kept: List[M] = []
    taken: List[Tuple[int, int]] = []
    for candidate in sorted(candidates, key=rank):
        start, end = span(candidate)
        if all(end <= s or e <= start for s, e in taken):
            kept.append(candidate)
            taken.append((start, end))
    return sorted(kept, key=lambda c: span(c)[0])


def find_rule_entities(text: str, today: Optional[date] = None) -> List[EntityMatch]:
    """Dates, phones, RRNs (masked), counts and addresses in `text`, overlaps resolved longest-first."""
    candidates = find_dates(text, today)
    for finder in RULE_FINDERS.values():
        candidates.extend(finder(text))
    return resolve_overlaps(candidates, span=lambda m: (m.start, m.end))
