"""NLU latency: `/api/nlu/parse` and a full `/api/chat` turn against a real served system."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.stats import summary_ms

TEXTS = [
    "출생신고 하고 싶어요", "등본 한 통 떼주세요", "여권 재발급 수수료 얼마예요?", "안녕하세요",
    "전입신고 온라인으로도 되나요", "I want to register my baby's birth", "접수번호 2026-BR-000123 상태 알려줘",
    "상담원 연결해 주세요", "영어로 바꿔줘", "이사 왔는데 전입신고 해줘", "ㄱㅅ", "오늘 날씨 어때",
]


def run(var_dir: Path, repeats: int = 200) -> dict[str, Any]:
    """Start `assistant serve`, then time parse calls and chat turns one at a time."""
    from tests.integration.conftest import start_assistant, stop_assistant

    running = start_assistant(var_dir)
    try:
        started = time.perf_counter()
        running.wait_health(200)
        ready_s = time.perf_counter() - started
        with httpx.Client(base_url=running.url, timeout=30) as http:
            for text in TEXTS:  # warm up
                http.post("/api/nlu/parse", json={"text": text})
            parse = []
            for i in range(repeats):
                t0 = time.perf_counter()
                response = http.post("/api/nlu/parse", json={"text": TEXTS[i % len(TEXTS)]})
                parse.append(time.perf_counter() - t0)
                response.raise_for_status()
            chat = []
            for i in range(60):
                t0 = time.perf_counter()
                response = http.post("/api/chat", json={
                    "sender": f"bench-{i}", "message": TEXTS[i % len(TEXTS)], "metadata": {"lang": "ko"}})
                chat.append(time.perf_counter() - t0)
                response.raise_for_status()
        return {"serve_ready_s": round(ready_s, 1), "nlu_parse": summary_ms(parse), "chat_turn": summary_ms(chat)}
    finally:
        stop_assistant(running)
