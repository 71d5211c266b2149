"""Birth registration (출생신고) as a conversation.

Parents and 등록기준지 come from the signed-in citizen's household and are confirmed in one turn;
then the baby's name, sex, date, time and place of birth, three document photos, a summary and the
submission. Every answer is validated with its reason in the citizen's language.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.citizen import spouse_of
from actions.forms.base import (
    ApplicationFormValidation,
    AskDocumentAction,
    AskSlotAction,
    reason_or_value,
    yes_no_buttons,
)
from actions.forms.corrections import Field
from actions.forms.documents import check_document
from actions.forms.messages import value_name
from actions.forms.validators import (
    validate_birth_place,
    validate_birth_time,
    validate_hangul_name,
    validate_past_date,
    validate_registration_base,
    validate_reporter_relation,
    validate_sex,
)
from actions.i18n import lang_of, say

FORM = "birth_registration_form"
REPORT_DEADLINE = timedelta(days=30)  # 가족관계등록법 제44조: within one month of the birth
DOCUMENT_SLOTS = ("doc_birth_certificate", "doc_reporter_id", "doc_signed_form")
PREFILLED = ("father_name", "mother_name", "registration_base", "reporter_relation")
SLOTS = (
    *PREFILLED, "birth_prefill_confirmed", "child_name", "child_sex", "child_birth_date", "child_birth_time",
    "birth_place", *DOCUMENT_SLOTS, "birth_registration_confirmed",
)
FIELDS = [
    Field("father_name", r"아버지|아빠|부친|father"),
    Field("mother_name", r"어머니|엄마|모친|mother"),
    Field("registration_base", r"등록\s*기준지|registration base"),
    Field("reporter_relation", r"신고인|reporter|filed by"),
    Field("child_birth_date", r"생년월일|출생일|생일|태어난\s*날|날짜|birth\s*date|date of birth|birthday|\bdate\b"),
    Field("child_birth_time", r"출생\s*시각|출생\s*시간|시각|시간|birth\s*time|time of birth|\btime\b"),
    Field("birth_place", r"출생\s*장소|태어난\s*곳|장소|place of birth|birth\s*place|\bplace\b"),
    Field("child_sex", r"성별|\bsex\b|gender"),
    Field("child_name", r"이름|성함|\bname\b"),
]


class ValidateBirthRegistrationForm(ApplicationFormValidation):
    """Checks every answer of the birth registration form."""

    form = FORM  # type: ignore[assignment]
    prefill_confirm_slot = "birth_prefill_confirmed"  # type: ignore[assignment]
    final_confirm_slot = "birth_registration_confirmed"  # type: ignore[assignment]
    prefilled_slots = PREFILLED  # type: ignore[assignment]
    fields = FIELDS  # type: ignore[assignment]

    def prefill(self, citizen: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
        """The citizen and their spouse as parents, the citizen as the reporter, their 등록기준지."""
        spouse = spouse_of(citizen) or {}
        me_father = citizen.get("sex") == "M"
        father = citizen if me_father else spouse
        mother = spouse if me_father else citizen
        # The child's 등록기준지 follows the father's by default (가족관계등록법 제10조), the mother's
        # when there is no father on record.
        base = (father or {}).get("registration_base") or (mother or {}).get("registration_base")
        return {
            "father_name": father.get("name"),
            "mother_name": mother.get("name"),
            "registration_base": base,
            "reporter_relation": "father" if me_father else "mother",
        }

    def validate_father_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        """A Hangul name."""
        return reason_or_value("father_name", validate_hangul_name(str(value)), dispatcher, tracker)

    def validate_mother_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        """A Hangul name."""
        return reason_or_value("mother_name", validate_hangul_name(str(value)), dispatcher, tracker)

    def validate_registration_base(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        """An address-like 등록기준지."""
        return reason_or_value("registration_base", validate_registration_base(str(value)), dispatcher, tracker)

    def validate_reporter_relation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        """father / mother / other."""
        if value in ("father", "mother", "other"):
            return {"reporter_relation": value}
        return reason_or_value("reporter_relation", validate_reporter_relation(str(value)), dispatcher, tracker)

    def validate_birth_prefill_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: DomainDict) -> dict[str, Any]:
        """Yes keeps the prefilled parents; no asks for each."""
        return self.validate_prefill_confirmation(value)

    def validate_child_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> dict[str, Any]:
        """A Hangul name of 2 to 6 syllables."""
        person = _entity(tracker, "person_name")
        candidate = person if person and tracker.get_slot("requested_slot") == "child_name" else str(value)
        return reason_or_value("child_name", validate_hangul_name(candidate), dispatcher, tracker)

    def validate_child_sex(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> dict[str, Any]:
        """Girl or boy."""
        if value in ("F", "M"):
            return {"child_sex": value}
        return reason_or_value("child_sex", validate_sex(str(value)), dispatcher, tracker)

    def validate_child_birth_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        """Not in the future; past the one-month deadline it warns about the late fee and goes on."""
        lang = lang_of(tracker)
        today = date.today()
        birth_date, problem = validate_past_date(str(value), today)
        if problem:
            dispatcher.utter_message(text=say(problem, lang, today=today.isoformat()))
            return {"child_birth_date": None}
        assert birth_date is not None
        if today - birth_date > REPORT_DEADLINE:
            dispatcher.utter_message(text=say("birth_late", lang))
        return {"child_birth_date": birth_date.isoformat()}

    def validate_child_birth_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        """A time of day, stored as HH:MM."""
        return reason_or_value("child_birth_time", validate_birth_time(str(value)), dispatcher, tracker)

    def validate_birth_place(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        """A hospital, clinic or home."""
        return reason_or_value("birth_place", validate_birth_place(str(value)), dispatcher, tracker)

    async def validate_doc_birth_certificate(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                             domain: DomainDict) -> dict[str, Any]:
        """An accepted upload of this citizen."""
        return reason_or_value("doc_birth_certificate", await check_document(tracker, value), dispatcher, tracker)

    async def validate_doc_reporter_id(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        """An accepted upload of this citizen."""
        return reason_or_value("doc_reporter_id", await check_document(tracker, value), dispatcher, tracker)

    async def validate_doc_signed_form(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        """An accepted upload of this citizen."""
        return reason_or_value("doc_signed_form", await check_document(tracker, value), dispatcher, tracker)

    def validate_birth_registration_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                                              tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """Yes or no; a "no" completes the form and the submit action then files nothing."""
        return self._validate_confirmation("birth_registration_confirmed", value)


class ActionAskFatherName(AskSlotAction):
    """Asks for the father's name."""

    slot = "father_name"  # type: ignore[assignment]


class ActionAskMotherName(AskSlotAction):
    """Asks for the mother's name."""

    slot = "mother_name"  # type: ignore[assignment]


class ActionAskRegistrationBase(AskSlotAction):
    """Asks for the 등록기준지."""

    slot = "registration_base"  # type: ignore[assignment]


class ActionAskReporterRelation(AskSlotAction):
    """Asks who is filing."""

    slot = "reporter_relation"  # type: ignore[assignment]

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        return [{"title": value_name(v, lang), "payload": {"father": "아버지입니다", "mother": "엄마예요"}[v]}
                for v in ("father", "mother")]


class ActionAskBirthPrefillConfirmed(Action):
    """Shows the prefilled parents and 등록기준지 and asks for one confirmation."""

    def name(self) -> str:
        return "action_ask_birth_prefill_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = lang_of(tracker)
        details = say("birth_prefill", lang, father_name=tracker.get_slot("father_name") or "-",
                      mother_name=tracker.get_slot("mother_name") or "-",
                      registration_base=tracker.get_slot("registration_base") or "-",
                      reporter=value_name(tracker.get_slot("reporter_relation"), lang))
        dispatcher.utter_message(
            text=f"{say('prefill_intro', lang)}\n{details}\n{say('prefill_question', lang)}",
            buttons=yes_no_buttons(lang, final=False),
        )
        return []


class ActionAskChildName(AskSlotAction):
    """Asks for the baby's name."""

    slot = "child_name"  # type: ignore[assignment]


class ActionAskChildSex(AskSlotAction):
    """Asks whether the baby is a girl or a boy."""

    slot = "child_sex"  # type: ignore[assignment]

    def buttons(self, tracker: Tracker, lang: str) -> list[dict[str, str]]:
        return [{"title": value_name(v, lang), "payload": {"F": "여자", "M": "남자"}[v]} for v in ("F", "M")]


class ActionAskChildBirthDate(AskSlotAction):
    """Asks for the date of birth."""

    slot = "child_birth_date"  # type: ignore[assignment]


class ActionAskChildBirthTime(AskSlotAction):
    """Asks for the time of birth."""

    slot = "child_birth_time"  # type: ignore[assignment]


class ActionAskBirthPlace(AskSlotAction):
    """Asks for the place of birth."""

    slot = "birth_place"  # type: ignore[assignment]


class ActionAskDocBirthCertificate(AskDocumentAction):
    """Asks for the hospital's birth certificate (출생증명서)."""

    slot = "doc_birth_certificate"  # type: ignore[assignment]


class ActionAskDocReporterId(AskDocumentAction):
    """Asks for the reporter's ID card."""

    slot = "doc_reporter_id"  # type: ignore[assignment]


class ActionAskDocSignedForm(AskDocumentAction):
    """Asks for the signed 출생신고서, the guide's first required document."""

    slot = "doc_signed_form"  # type: ignore[assignment]


class ActionAskBirthRegistrationConfirmed(Action):
    """Shows the summary and asks for confirmation before anything is filed."""

    def name(self) -> str:
        return "action_ask_birth_registration_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        lang = lang_of(tracker)
        slot = tracker.get_slot
        documents = ", ".join(value_name(s, lang) for s in DOCUMENT_SLOTS if slot(s))
        dispatcher.utter_message(
            text=say(
                "birth_summary_full", lang,
                child_name=slot("child_name"), sex=value_name(slot("child_sex"), lang),
                child_birth_date=slot("child_birth_date"), child_birth_time=slot("child_birth_time") or "-",
                birth_place=slot("birth_place") or "-", father_name=slot("father_name") or "-",
                mother_name=slot("mother_name") or "-", registration_base=slot("registration_base") or "-",
                reporter=value_name(slot("reporter_relation"), lang), documents=documents or "-",
            ),
            buttons=yes_no_buttons(lang, final=True),
        )
        return []


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None
