"""CitizenDirectory: the residents the assistant knows, their households, and what forms may prefill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from assistant.records.database import Database, retries_on_disconnect
from assistant.records.demo_residents import DEMO_PIN, DEMO_RESIDENTS
from assistant.records.models import Citizen
from assistant.security import FieldCipher, check_pin, hash_pin

# My household role -> their household role -> what they are to me.
_RELATION_TO_ME: dict[str, dict[str, str]] = {
    "head": {"spouse": "spouse", "child": "child", "parent": "parent"},
    "spouse": {"head": "spouse", "child": "child", "parent": "parent"},
    "child": {"head": "parent", "spouse": "parent", "child": "sibling", "parent": "grandparent"},
    "parent": {"head": "child", "spouse": "child_in_law", "child": "grandchild"},
}


@dataclass(frozen=True)
class HouseholdMember:
    """Someone who lives with the citizen, and what they are to them."""

    citizen: Citizen
    relation: str


class CitizenDirectory:
    """Reads residents from the records database; seeds the demo residents."""

    def __init__(self, database: Database, cipher: FieldCipher) -> None:
        self.database = database
        self.cipher = cipher

    @retries_on_disconnect
    def seed_demo(self) -> int:
        """Insert the demo residents that are missing (idempotent); returns how many were added."""
        added = 0
        with self.database.session() as session:
            present = set(session.scalars(select(Citizen.id)))
            for resident in DEMO_RESIDENTS:
                if resident["id"] in present:
                    continue
                birth, _, back = resident["rrn"].partition("-")
                phone = resident.get("phone")
                session.add(Citizen(
                    id=resident["id"], name=resident["name"], name_en=resident["name_en"], sex=resident["sex"],
                    birth_date=date.fromisoformat(resident["birth_date"]),
                    rrn_encrypted=self.cipher.encrypt(resident["rrn"]), rrn_masked=f"{birth}-{back[0]}******",
                    phone_encrypted=self.cipher.encrypt(phone) if phone else None,
                    phone_masked=_mask_phone(phone) if phone else None,
                    address=resident["address"], address_history=resident["address_history"],
                    registration_base=resident["registration_base"], household_id=resident["household_id"],
                    household_role=resident["household_role"],
                    pin_hash=hash_pin(DEMO_PIN) if resident.get("pin") else None,
                ))
                added += 1
        return added

    @retries_on_disconnect
    def get(self, citizen_id: str) -> Citizen | None:
        """The resident with this id."""
        with self.database.session() as session:
            return session.get(Citizen, citizen_id)

    @retries_on_disconnect
    def can_sign_in(self) -> list[Citizen]:
        """Residents who have a PIN (adults), in id order."""
        with self.database.session() as session:
            return list(session.scalars(select(Citizen).where(Citizen.pin_hash.is_not(None)).order_by(Citizen.id)))

    def check_pin(self, citizen_id: str, pin: str) -> Citizen | None:
        """The resident when `pin` is theirs, else None."""
        citizen = self.get(citizen_id)
        if citizen is None or citizen.pin_hash is None or not check_pin(pin, citizen.pin_hash):
            return None
        return citizen

    @retries_on_disconnect
    def household(self, citizen: Citizen) -> list[HouseholdMember]:
        """The others in the citizen's household, with what each is to them."""
        with self.database.session() as session:
            others = session.scalars(
                select(Citizen).where(Citizen.household_id == citizen.household_id, Citizen.id != citizen.id)
                .order_by(Citizen.id)
            )
            relations = _RELATION_TO_ME.get(citizen.household_role, {})
            return [HouseholdMember(o, relations.get(o.household_role, "other")) for o in others]

    def registration_number(self, citizen: Citizen) -> str:
        """The full registration number, for a certificate the citizen asked to show it on."""
        return self.cipher.decrypt(citizen.rrn_encrypted)

    def prefill_view(self, citizen: Citizen) -> dict[str, Any]:
        """What forms may know about the signed-in citizen: masked, no phone, no full number.

        This travels to Rasa as message metadata, so it must never hold a raw number.
        """
        return {
            "id": citizen.id,
            "name": citizen.name,
            "name_en": citizen.name_en,
            "sex": citizen.sex,
            "birth_date": citizen.birth_date.isoformat(),
            "rrn_masked": citizen.rrn_masked,
            "address": citizen.address,
            "registration_base": citizen.registration_base,
            "household": [
                {"id": m.citizen.id, "name": m.citizen.name, "relation": m.relation, "sex": m.citizen.sex,
                 "registration_base": m.citizen.registration_base}
                for m in self.household(citizen)
            ],
        }


def _mask_phone(phone: str) -> str:
    parts = phone.split("-")
    return f"{parts[0]}-****-{parts[-1]}" if len(parts) == 3 else "***"
