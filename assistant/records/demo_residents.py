"""Demo residents that stand in for the resident register. Every name, number and address is made up.

Each adult can sign in with the demo PIN `DEMO_PIN`; children cannot sign in.
"""

from __future__ import annotations

from typing import Any

DEMO_PIN = "1234"

DEMO_RESIDENTS: list[dict[str, Any]] = [
    {
        "id": "c-1001", "name": "김민준", "name_en": "Kim Minjun", "sex": "M", "birth_date": "1990-01-01",
        "rrn": "900101-1234567", "phone": "010-1234-5678",
        "address": "서울특별시 종로구 자하문로 12 301호",
        "address_history": [
            {"address": "부산광역시 연제구 중앙대로 1001", "moved_in": "2015-03-02"},
            {"address": "서울특별시 종로구 자하문로 12 301호", "moved_in": "2022-05-10"},
        ],
        "registration_base": "서울특별시 종로구 평창동 123", "household_id": "h-1", "household_role": "head", "pin": True,
    },
    {
        "id": "c-1002", "name": "이서연", "name_en": "Lee Seoyeon", "sex": "F", "birth_date": "1992-03-15",
        "rrn": "920315-2345678", "phone": "010-2345-6789",
        "address": "서울특별시 종로구 자하문로 12 301호",
        "address_history": [
            {"address": "대전광역시 서구 둔산로 100", "moved_in": "2016-09-01"},
            {"address": "서울특별시 종로구 자하문로 12 301호", "moved_in": "2022-05-10"},
        ],
        "registration_base": "부산광역시 연제구 연산동 55", "household_id": "h-1", "household_role": "spouse", "pin": True,
    },
    {
        "id": "c-1003", "name": "김하린", "name_en": "Kim Harin", "sex": "F", "birth_date": "2023-06-20",
        "rrn": "230620-4123456", "phone": None,
        "address": "서울특별시 종로구 자하문로 12 301호",
        "address_history": [{"address": "서울특별시 종로구 자하문로 12 301호", "moved_in": "2023-06-20"}],
        "registration_base": "서울특별시 종로구 평창동 123", "household_id": "h-1", "household_role": "child", "pin": False,
    },
    {
        "id": "c-2001", "name": "박지훈", "name_en": "Park Jihoon", "sex": "M", "birth_date": "1985-07-08",
        "rrn": "850708-1456789", "phone": "010-3456-7890",
        "address": "부산광역시 해운대구 해운대로 570 1203호",
        "address_history": [{"address": "부산광역시 해운대구 해운대로 570 1203호", "moved_in": "2019-02-15"}],
        "registration_base": "부산광역시 해운대구 우동 77", "household_id": "h-2", "household_role": "head", "pin": True,
    },
    {
        "id": "c-3001", "name": "최유나", "name_en": "Choi Yuna", "sex": "F", "birth_date": "1995-11-30",
        "rrn": "951130-2567890", "phone": "010-4567-8901",
        "address": "경기도 성남시 분당구 불정로 90 502호",
        "address_history": [
            {"address": "광주광역시 서구 내방로 111", "moved_in": "2014-03-01"},
            {"address": "경기도 성남시 분당구 불정로 90 502호", "moved_in": "2024-01-20"},
        ],
        "registration_base": "광주광역시 서구 치평동 1200", "household_id": "h-3", "household_role": "head", "pin": True,
    },
    {
        "id": "c-3002", "name": "정도윤", "name_en": "Jung Doyoon", "sex": "M", "birth_date": "1993-02-14",
        "rrn": "930214-1678901", "phone": "010-5678-9012",
        "address": "경기도 성남시 분당구 불정로 90 502호",
        "address_history": [{"address": "경기도 성남시 분당구 불정로 90 502호", "moved_in": "2024-01-20"}],
        "registration_base": "경기도 수원시 팔달구 인계동 1111", "household_id": "h-3", "household_role": "spouse",
        "pin": True,
    },
    {
        "id": "c-4001", "name": "한미영", "name_en": "Han Miyoung", "sex": "F", "birth_date": "1978-04-05",
        "rrn": "780405-2789012", "phone": "010-6789-0123",
        "address": "인천광역시 남동구 정각로 29 803호",
        "address_history": [{"address": "인천광역시 남동구 정각로 29 803호", "moved_in": "2010-08-30"}],
        "registration_base": "인천광역시 남동구 구월동 1138", "household_id": "h-4", "household_role": "head", "pin": True,
    },
]
