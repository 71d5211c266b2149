"""200 seeded unanswered questions: 10 topics the guides do not cover, 20 wordings each."""

from __future__ import annotations

from itertools import product

# (topic, ways to name it, ways to ask about it): 4 x 5 = 20 wordings per topic.
TOPICS: list[tuple[str, list[str], list[str]]] = [
    ("passport-photo", ["여권 사진 규격", "여권사진 크기", "여권용 사진 사이즈", "여권 사진 배경색"],
     ["이 어떻게 되나요", " 알려주세요", " 궁금해요", "은 정해져 있나요", " 기준이 뭐예요"]),
    ("parking", ["구청 주차장", "민원실 주차", "주민센터 주차장", "구청 방문 주차"],
     [" 무료인가요", " 요금이 얼마예요", " 몇 시간까지 돼요", " 어디에 있어요", " 할인 되나요"]),
    ("wedding-hall", ["구청 결혼식장", "공공 예식장", "구민회관 웨딩홀", "구청 예식장"],
     [" 대관하려면", " 예약 어떻게 해요", " 빌릴 수 있나요", " 사용료 얼마예요", " 신청 방법"]),
    ("noise", ["윗집 층간소음", "층간 소음", "이웃 소음", "밤마다 쿵쿵 소음"],
     [" 신고하고 싶어요", " 어디에 민원 넣어요", " 해결 방법 있나요", " 상담 받을 수 있나요", " 때문에 힘들어요"]),
    ("stray-cat", ["길고양이", "길냥이", "동네 길고양이", "다친 길고양이"],
     [" 신고는 어디에", " 구조 요청하려면", " 발견했어요 어떻게 해요", " 중성화 신청", " 보호소 연락처"]),
    ("bulky-waste", ["대형폐기물", "헌 소파 버리기", "냉장고 폐기", "대형 쓰레기"],
     [" 스티커 어디서 사요", " 신고 방법", " 수거 비용", " 버리는 법", " 인터넷으로 신청 돼요"]),
    ("library", ["구립 도서관", "도서관 회원증", "동네 도서관", "작은 도서관"],
     [" 운영 시간", " 만드는 법", " 휴관일 언제예요", " 책 몇 권 빌려요", " 가입하려면"]),
    ("vaccination", ["독감 예방접종", "무료 독감 주사", "어르신 독감 접종", "독감 백신"],
     [" 어디서 맞아요", " 대상이 누구예요", " 언제부터 해요", " 보건소 예약", " 무료인가요"]),
    ("streetlight", ["가로등 고장", "골목 가로등 꺼짐", "보안등 고장", "가로등 불 안 들어옴"],
     [" 신고하려면", " 어디에 말해요", " 수리 요청", " 민원 접수", " 연락처 알려줘"]),
    ("job-fair", ["구청 채용 박람회", "일자리 박람회", "청년 취업 박람회", "중장년 채용 행사"],
     [" 언제 해요", " 참가 신청", " 장소가 어디예요", " 사전 등록 필요해요", " 참여 기업"]),
]


def seeded_misses() -> list[tuple[str, str]]:
    """(topic, question) pairs, 200 of them, topics interleaved as they would arrive."""
    per_topic = [[(topic, f"{name}{ask}") for name, ask in product(names, asks)] for topic, names, asks in TOPICS]
    return [pair for row in zip(*per_topic) for pair in row]
