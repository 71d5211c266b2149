"""What the assistant could not answer: recording (masked), grouping, and resolving the groups."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from assistant.records.database import Database
from assistant.records.models import utcnow
from assistant.staff.grouping import Encoder, group_texts
from assistant.staff.masking import mask_personal_data
from assistant.staff.models import UnansweredQuestion

KINDS = ("low_confidence", "fallback", "out_of_scope", "retrieval_miss")
# An intent below this confidence counts as not understood (the NLU fallback threshold is 0.4;
# between the two the assistant answers, but staff should see the question).
LOW_CONFIDENCE = 0.5
# The chat gateway and the knowledge action may both see one bad turn; one row is enough.
DUPLICATE_WINDOW = timedelta(seconds=30)
MAX_GROUPED = 5000


class MissLog:
    """Records unanswered questions and lets staff work through them in groups."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, text: str, kind: str, lang: str = "ko", intent: str | None = None,
               confidence: float | None = None) -> bool:
        """Store one question with its personal data masked; False when it was a duplicate or empty."""
        masked = mask_personal_data(text.strip())[:2000]
        if not masked or kind not in KINDS:
            return False
        with self.database.session() as session:
            recent = session.scalar(select(UnansweredQuestion.id).where(
                UnansweredQuestion.text == masked, UnansweredQuestion.at >= utcnow() - DUPLICATE_WINDOW).limit(1))
            if recent is not None:
                return False
            session.add(UnansweredQuestion(text=masked, kind=kind, lang=lang if lang in ("ko", "en") else "ko",
                                           intent=intent, confidence=confidence))
        return True

    def open_questions(self) -> list[UnansweredQuestion]:
        """Open questions, oldest first (the newest `MAX_GROUPED`)."""
        with self.database.session() as session:
            rows = list(session.scalars(select(UnansweredQuestion).where(UnansweredQuestion.status == "open")
                                        .order_by(UnansweredQuestion.id.desc()).limit(MAX_GROUPED)))
        return list(reversed(rows))

    def groups(self, encoder: Encoder | None = None) -> list[dict[str, Any]]:
        """Open questions grouped by similarity, largest group first."""
        rows = self.open_questions()
        result = []
        for members in group_texts([r.text for r in rows], encoder):
            picked = [rows[i] for i in members]
            texts = Counter(r.text for r in picked)
            result.append({
                "id": picked[0].id,
                "representative": texts.most_common(1)[0][0],
                "count": len(picked),
                "question_ids": [r.id for r in picked],
                "examples": [t for t, _ in texts.most_common(8)],
                "kinds": dict(Counter(r.kind for r in picked)),
                "lang": Counter(r.lang for r in picked).most_common(1)[0][0],
                "last_at": max(r.at for r in picked).isoformat(),
            })
        return result

    def texts(self, question_ids: list[int]) -> list[tuple[str, str]]:
        """(text, lang) of open questions, distinct, in id order."""
        with self.database.session() as session:
            rows = session.scalars(select(UnansweredQuestion).where(
                UnansweredQuestion.id.in_(question_ids), UnansweredQuestion.status == "open"
            ).order_by(UnansweredQuestion.id))
            seen: dict[str, str] = {}
            for row in rows:
                seen.setdefault(row.text, row.lang)
            return list(seen.items())

    def resolve(self, question_ids: list[int], status: str, resolution: str) -> int:
        """Close open questions (attached / trained / dismissed); returns how many."""
        with self.database.session() as session:
            rows = list(session.scalars(select(UnansweredQuestion).where(
                UnansweredQuestion.id.in_(question_ids), UnansweredQuestion.status == "open")))
            for row in rows:
                row.status, row.resolution = status, resolution[:200]
            return len(rows)

    def counts(self) -> dict[str, int]:
        """Questions per status."""
        with self.database.session() as session:
            return dict(Counter(session.scalars(select(UnansweredQuestion.status))))
