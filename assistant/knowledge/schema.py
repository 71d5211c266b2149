"""The service-guide schema (one YAML file per service under `knowledge_base/`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Category = Literal[
    "family", "residence", "identity", "certificates", "welfare", "health", "employment",
    "housing", "vehicle", "business", "tax", "pets", "land", "foreigners", "other",
]
Language = Literal["ko", "en"]
SERVICE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")


class LocalizedText(BaseModel):
    """A text in Korean (required) and English (optional outside the core set)."""

    model_config = ConfigDict(extra="forbid")

    ko: str = Field(min_length=1)
    en: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Korean."""
        return (self.en if lang == "en" else None) or self.ko

    def has(self, lang: str) -> bool:
        """Whether the text exists in `lang` itself (no fallback)."""
        return bool(self.en) if lang == "en" else True


class Aliases(BaseModel):
    """Other names citizens use for the service."""

    model_config = ConfigDict(extra="forbid")

    ko: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class HowToApply(BaseModel):
    """Where to apply: an official online address and/or offices."""

    model_config = ConfigDict(extra="forbid")

    online: str | None = None
    offices: LocalizedText | None = None

    @field_validator("online")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be a web address starting with https://")
        return value


class Faq(BaseModel):
    """A question citizens ask, with its answer."""

    model_config = ConfigDict(extra="forbid")

    question: LocalizedText
    answer: LocalizedText


class Section(BaseModel):
    """A free-form section (imported guides keep their source's sections as they are)."""

    model_config = ConfigDict(extra="forbid")

    title: LocalizedText
    text: LocalizedText


class ServiceGuide(BaseModel):
    """One public service, as staff curate it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    names: LocalizedText
    aliases: Aliases = Field(default_factory=Aliases)
    agency: LocalizedText | None = None
    category: Category = "other"
    summary: LocalizedText
    eligibility: LocalizedText | None = None
    required_documents: list[LocalizedText] = Field(default_factory=list)
    fees: LocalizedText | None = None
    processing_time: LocalizedText | None = None
    deadlines: LocalizedText | None = None
    how_to_apply: HowToApply | None = None
    legal_basis: LocalizedText | None = None
    faqs: list[Faq] = Field(default_factory=list)
    contact: LocalizedText | None = None
    sections: list[Section] = Field(default_factory=list)
    # Questions citizens really asked that this guide answers (confirmed by staff or labelled data);
    # each is indexed on its own, so a new question can match an old one worded the same way.
    questions: Aliases = Field(default_factory=Aliases)
    related_form: str | None = None
    url: str | None = None
    last_reviewed: date | None = None
    source: str | None = None  # set by importers: where an imported guide came from

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not SERVICE_ID.match(value):
            raise ValueError("must be lower-case letters, digits and hyphens (e.g. birth-registration)")
        return value

    @field_validator("related_form")
    @classmethod
    def _form_name(cls, value: str | None) -> str | None:
        if value is not None and not value.endswith("_form"):
            raise ValueError("must name a form of domain.yml, ending in _form")
        return value

    @field_validator("last_reviewed")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > date.today():
            raise ValueError("cannot be in the future")
        return value

    @model_validator(mode="after")
    def _url_shape(self) -> "ServiceGuide":
        if self.url is not None and not self.url.startswith(("https://", "http://")):
            raise ValueError("url must be a web address starting with https://")
        return self

    def title(self, lang: str) -> str:
        """The service's name in `lang` (Korean when there is no translation)."""
        return self.names.get(lang)

    def is_bilingual(self) -> bool:
        """Whether the guide's name and summary exist in English too."""
        return self.names.has("en") and self.summary.has("en")
