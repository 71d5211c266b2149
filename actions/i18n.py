"""Messages the actions send, in Korean and English, and the citizen's language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.forms.messages import FORM_MESSAGES

MESSAGES: dict[str, dict[str, str]] = {
    "kb_answer": {"ko": "[{title}] {section}\n{snippet}", "en": "[{title}] {section}\n{snippet}"},
    "kb_korean_only": {
        "ko": "",
        "en": "This guide is only available in Korean; here is what it says:",
    },
    "kb_more": {"ko": "자세한 내용: {url}", "en": "More: {url}"},
    "kb_not_sure": {
        "ko": "정확한 안내를 찾지 못했어요. 아래 안내 중에 찾으시는 것이 있나요? 직원과 상담하실 수도 있어요.",
        "en": "I'm not sure I found the right guide. Is it one of these? You can also talk to a member of staff.",
    },
    "kb_nothing": {
        "ko": "관련된 민원 안내를 찾지 못했어요. 다른 말로 물어보시거나 직원과 상담해 주세요.",
        "en": "I couldn't find a guide about that. Try asking another way, or talk to a member of staff.",
    },
    "button_person": {"ko": "상담원 연결", "en": "Talk to a person"},
    "button_apply": {"ko": "{title} 신청하기", "en": "Apply: {title}"},
    "ask_child_name": {"ko": "아기 이름을 알려 주세요. (한글 이름, 예: 김하늘)", "en": "What is the baby's name? (in Hangul, e.g. 김하늘)"},
    "ask_child_birth_date": {
        "ko": "아기가 태어난 날짜를 알려 주세요. (예: 2026-11-20, 11월 20일, 어제)",
        "en": "When was the baby born? (e.g. 2026-11-20, November 20, yesterday)",
    },
    "name_invalid": {
        "ko": "이름은 한글 2~6자로 입력해 주세요. 예: 김하늘",
        "en": "Please give the name in Hangul, 2 to 6 syllables, e.g. 김하늘.",
    },
    "date_unreadable": {
        "ko": "날짜를 알아듣지 못했어요. 2026-11-20, 11월 20일, 어제처럼 말씀해 주세요.",
        "en": "I couldn't read that date. Please say it like 2026-11-20, November 20 or yesterday.",
    },
    "date_impossible": {
        "ko": "존재하지 않는 날짜예요. 다시 확인해 주세요.",
        "en": "That date does not exist. Please check it.",
    },
    "birth_in_future": {
        "ko": "출생일은 미래일 수 없어요. 오늘({today}) 또는 그 이전 날짜를 알려 주세요.",
        "en": "A birth date cannot be in the future. Please give today ({today}) or an earlier date.",
    },
    "birth_late": {
        "ko": "출생일로부터 1개월이 지났어요. 늦게 신고하면 과태료(최대 5만 원)가 부과될 수 있지만, 신고는 계속 진행할게요.",
        "en": "More than a month has passed since the birth. A late report may bring a fine (up to 50,000 won), but we can still file it.",
    },
    "submitted": {
        "ko": "출생신고가 접수되었어요. 접수번호는 {receipt_number} 입니다. 이 번호로 처리 상태를 확인하실 수 있어요.",
        "en": "Your birth registration has been submitted. Your receipt number is {receipt_number}; use it to check the status.",
    },
    "not_submitted": {
        "ko": "제출하지 않았어요. 처음부터 다시 하시려면 '출생신고 하고 싶어요'라고 말씀해 주세요.",
        "en": "Nothing was submitted. Say \"I want to register a birth\" to start again.",
    },
    "submit_failed": {
        "ko": "죄송해요, 접수 중 문제가 생겨 제출하지 못했어요. 입력하신 내용은 그대로 있으니 잠시 후 '제출'이라고 다시 말씀해 주세요.",
        "en": "Sorry, something went wrong and the application was not submitted. Your answers are kept; please try again shortly.",
    },
    "cancelled": {
        "ko": "신청을 취소했어요. 아무것도 제출되지 않았어요.",
        "en": "The application is cancelled. Nothing was submitted.",
    },
    "nothing_to_cancel": {"ko": "지금 진행 중인 신청이 없어요.", "en": "There is no application in progress."},
    "status_none": {"ko": "접수된 신청이 없어요.", "en": "You have no submitted applications."},
    "status_line": {"ko": "- {receipt_number} ({kind}): {status}", "en": "- {receipt_number} ({kind}): {status}"},
    "status_header": {"ko": "신청 현황이에요:", "en": "Your applications:"},
    "status_not_found": {
        "ko": "접수번호 {receipt_number}에 해당하는 신청을 찾을 수 없어요.",
        "en": "I couldn't find an application with receipt number {receipt_number}.",
    },
    "language_changed": {"ko": "한국어로 안내할게요.", "en": "I'll continue in English."},
}

MESSAGES.update(FORM_MESSAGES)

STATUS_NAMES = {
    "submitted": {"ko": "접수됨", "en": "submitted"},
    "in_review": {"ko": "검토 중", "en": "in review"},
    "approved": {"ko": "승인됨", "en": "approved"},
    "rejected": {"ko": "반려됨", "en": "rejected"},
}
KIND_NAMES = {
    "birth_registration": {"ko": "출생신고", "en": "birth registration"},
    "move_in": {"ko": "전입신고", "en": "move-in report"},
    "resident_certificate": {"ko": "주민등록표 발급", "en": "resident certificate"},
}


def lang_of(tracker: Tracker) -> str:
    """The citizen's language: this message's metadata, else the `language` slot, else Korean."""
    metadata: dict[str, Any] = (tracker.latest_message or {}).get("metadata") or {}
    lang = metadata.get("lang") or tracker.get_slot("language") or "ko"
    return "en" if lang == "en" else "ko"


def say(key: str, lang: str, **params: Any) -> str:
    """The message `key` in `lang`, formatted."""
    template = MESSAGES[key].get(lang) or MESSAGES[key]["ko"]
    return template.format(**params)
