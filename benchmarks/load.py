"""`make bench-load`: N concurrent citizens against the running system, and bare Rasa for the ratio.

Two phases, one after the other, each with the same number of citizens and the same think time:

1. **mix**: the realistic mix through the service's public API (`/api/chat`, `/api/auth/sign-in`,
   `/api/uploads`): questions about services in Korean and English (answered from the knowledge base),
   greetings and thanks, resident-certificate requests and move-in reports to submission (signed in,
   with a document photo), and status checks.
2. **baseline**: simple visits (greet / thank / goodbye, answered by a response template); each citizen
   alternates: one visit posted straight to the Rasa server's REST channel ("bare Rasa", no service),
   the next through `/api/chat` ("simple via service"), so full-vs-bare compares like with like on the
   same machine at the same moment. Note that a bare Rasa turn still calls the service's action
   webhook once (`action_validate_slot_mappings`: the domain has custom slot mappings).

Each citizen waits a think time between turns (uniform `--think-min`..`--think-max` seconds, default
1-3 s, seeded per citizen), so 20 citizens are 20 people typing, not a flood. Output:
reports/bench/load.json (every figure and up to 20 error samples) and a `load` summary merged into
reports/bench/results.json.

    python -m benchmarks.load --citizens 20 --seconds 60            # starts its own system
    python -m benchmarks.load --url http://127.0.0.1:8000            # against `make run` (Rasa on :5005)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.stats import summary_ms

DEMO_PIN = "1234"  # assistant.records.demo_residents.DEMO_PIN; not imported: that pulls in the records package
QUESTIONS_KO = [
    "출생신고는 언제까지 해야 하나요?",
    "여권 재발급 수수료 얼마예요?",
    "전입신고 할 때 필요한 서류가 뭐예요?",
    "등본 무인민원발급기에서 뗄 수 있어요?",
    "인감증명서 대리 발급 되나요?",
    "아동수당은 몇 살까지 받아요?",
    "자동차 명의 이전은 어디서 해요?",
    "운전면허 갱신 기간이 언제예요?",
    "기초연금 신청 자격이 어떻게 되나요?",
    "반려견 등록은 어떻게 하나요?",
    "혼인신고 할 때 증인이 필요해요?",
    "청년 월세 지원 받을 수 있나요?",
]
QUESTIONS_EN = [
    "How long do I have to register a birth?",
    "How much does a passport renewal cost?",
    "What documents do I need for a move-in report?",
    "How do I register my dog?",
    "Who can get the basic pension?",
    "How do I renew my driver's license?",
]
SIMPLE = {"ko": ["안녕하세요", "감사합니다", "안녕히 계세요"], "en": ["hello", "thank you", "goodbye"]}
# Share of visits per scenario: most citizens ask, some chat, some apply, some check a status.
MIX = {"question_ko": 40, "question_en": 15, "chitchat": 10, "certificate": 15, "move_in": 8, "status": 12}
TURN_KINDS = ("question", "chitchat", "form", "upload", "status")


@dataclass
class Turn:
    """One request a citizen made, timed."""

    phase: str
    kind: str
    seconds: float
    ok: bool
    status: int | None = None
    error: str | None = None
    # The service's own account of the turn (its Server-Timing header), ms per phase.
    phases: dict[str, float] = field(default_factory=dict)


@dataclass
class Recorder:
    """Every turn of a phase, and a few error samples (their text is ours: no citizen data)."""

    phase: str
    turns: list[Turn] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    unexpected: int = 0

    def add(self, kind: str, seconds: float, ok: bool, status: int | None = None, error: str | None = None,
            phases: dict[str, float] | None = None) -> None:
        self.turns.append(Turn(self.phase, kind, seconds, ok, status, error, phases or {}))
        if not ok and len(self.samples) < 20:
            self.samples.append({"phase": self.phase, "kind": kind, "status": status, "error": (error or "")[:300]})

    def summary(self, elapsed_s: float) -> dict[str, Any]:
        """Throughput, latency percentiles overall and per kind, errors."""
        chat = [t for t in self.turns if t.kind != "sign_in"]
        kinds = sorted({t.kind for t in self.turns}, key=lambda k: (k not in TURN_KINDS, k))
        return {
            "turns": len(chat),
            "elapsed_s": round(elapsed_s, 1),
            "throughput_turns_per_s": round(len(chat) / elapsed_s, 2) if elapsed_s else 0.0,
            "latency": summary_ms([t.seconds for t in chat]) if chat else {},
            "by_kind": {k: summary_ms([t.seconds for t in self.turns if t.kind == k]) for k in kinds},
            "server_timing_p50_ms": {k: phase_medians([t for t in self.turns if t.kind == k]) for k in kinds},
            "errors": sum(1 for t in self.turns if not t.ok),
            "unexpected_replies": self.unexpected,
        }


def phase_medians(turns: list[Turn]) -> dict[str, float]:
    """Median ms of each Server-Timing phase over the turns that reported it."""
    names = sorted({name for t in turns for name in t.phases})
    return {name: round(statistics.median(t.phases[name] for t in turns if name in t.phases), 2) for name in names}


def parse_server_timing(value: str) -> dict[str, float]:
    """`rasa;dur=41.2, state;dur=3.0` -> {"rasa": 41.2, "state": 3.0} (entries without dur are skipped)."""
    phases: dict[str, float] = {}
    for entry in value.split(","):
        name, _, params = entry.strip().partition(";")
        for param in params.split(";"):
            key, _, number = param.strip().partition("=")
            if key == "dur" and name:
                try:
                    phases[name] = float(number)
                except ValueError:
                    pass
    return phases


class Citizen:
    """One simulated person: an HTTP client with its own cookies, a seeded random source, a think time."""

    def __init__(self, index: int, base_url: str, recorder: Recorder, seed: int, think: tuple[float, float],
                 deadline: float) -> None:
        self.index = index
        self.rng = random.Random(seed * 1000 + index)
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60)
        self.recorder = recorder
        self.think_range = think
        self.deadline = deadline
        self.visit = 0
        self.sender = ""
        self.lang = "ko"

    def new_visit(self, lang: str) -> None:
        """A new conversation (a new browser session): new sender id, signed out."""
        self.visit += 1
        self.sender = f"load-{self.recorder.phase}-{self.index}-{self.visit}-{self.rng.getrandbits(32):08x}"
        self.lang = lang
        self.http.cookies.clear()

    @property
    def time_left(self) -> bool:
        return time.monotonic() < self.deadline

    async def think(self) -> None:
        """Pause as a person reading the reply and typing the next message would (not past the end)."""
        pause = self.rng.uniform(*self.think_range)
        await asyncio.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))

    async def request(self, kind: str, method: str, path: str, expect: tuple[int, ...] = (200,), **kwargs: Any) -> dict:
        """One timed request; a failure is recorded, never raised (the citizen goes on)."""
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.recorder.add(kind, time.perf_counter() - started, False, None, f"{exc.__class__.__name__}: {exc}")
            return {}
        seconds = time.perf_counter() - started
        ok = response.status_code in expect
        phases = parse_server_timing(response.headers.get("server-timing", ""))
        self.recorder.add(kind, seconds, ok, response.status_code, None if ok else response.text, phases)
        try:
            return response.json() if ok else {}
        except ValueError:
            return {}

    async def say(self, kind: str, message: str) -> dict:
        """One chat turn through the service."""
        return await self.request(kind, "POST", "/api/chat", json={
            "sender": self.sender, "message": message, "metadata": {"lang": self.lang, "channel": "web"}})

    async def sign_in(self, citizen_id: str) -> bool:
        body = await self.request("sign_in", "POST", "/api/auth/sign-in", json={"citizen_id": citizen_id, "pin": DEMO_PIN})
        return bool(body)

    def expect(self, condition: bool) -> None:
        """A reply that came back but is not what this script needed (counted, the visit ends)."""
        if not condition:
            self.recorder.unexpected += 1
            raise VisitOver

    async def script(self, steps: list[tuple[str, str]]) -> list[dict]:
        """Say each message in turn, thinking in between; stops at the deadline."""
        replies = []
        for kind, message in steps:
            if not self.time_left:
                raise VisitOver
            replies.append(await self.say(kind, message))
            # Every turn answers something; an empty reply is a failure Rasa's REST channel swallowed.
            self.expect(bool(replies[-1].get("messages")))
            await self.think()
        return replies


class VisitOver(Exception):
    """The visit ends early: the deadline passed or a reply was not what the script needs."""


# ---- scenarios of the mix -------------------------------------------------------------------------


async def visit_question(me: Citizen, lang: str) -> None:
    """A greeting sometimes, one to three questions, thanks."""
    me.new_visit(lang)
    questions = QUESTIONS_KO if lang == "ko" else QUESTIONS_EN
    steps = [("chitchat", SIMPLE[lang][0])] if me.rng.random() < 0.3 else []
    steps += [("question", q) for q in me.rng.sample(questions, me.rng.randint(1, 3))]
    steps.append(("chitchat", SIMPLE[lang][1]))
    await me.script(steps)


async def visit_chitchat(me: Citizen, lang: str) -> None:
    """Hello, thanks, goodbye."""
    me.new_visit(lang)
    await me.script([("chitchat", m) for m in SIMPLE[lang]])


async def visit_certificate(me: Citizen, lang: str) -> None:
    """Signed in, a resident certificate request to its receipt (the shortest form)."""
    me.new_visit("ko")
    me.expect(await me.sign_in(me.rng.choice(["c-1001", "c-2001", "c-4001"])))
    await me.think()
    first, *_, last = await me.script([
        ("form", "주민등록등본 떼 주세요"), ("form", "네"), ("form", "기본으로 해 주세요"), ("form", "은행 제출용"), ("form", "네"),
    ])
    me.expect(first.get("active_form") == "resident_certificate_form")
    me.expect(any("receipt" in (m.get("custom") or {}) for m in last.get("messages", [])))


async def visit_move_in(me: Citizen, lang: str) -> None:
    """Signed in, a move-in report with an ID photo to its receipt."""
    me.new_visit("ko")
    me.expect(await me.sign_in("c-3001"))
    await me.think()
    first, *_ = await me.script([
        ("form", "전입신고 하려고요"), ("form", "네"), ("form", "서울특별시 마포구 월드컵로 240 101동 1001호"),
        ("form", "어제"), ("form", "모두"),
    ])
    me.expect(first.get("active_form") == "move_in_form")
    upload = await me.request("upload", "POST", "/api/uploads", expect=(201,),
                              data={"sender": me.sender, "lang": "ko", "channel": "web"},
                              files={"file": ("id.jpg", id_photo(), "image/jpeg")})
    me.expect(bool(upload))
    await me.think()
    [last] = await me.script([("form", "네")])
    me.expect(any("receipt" in (m.get("custom") or {}) for m in last.get("messages", [])))


async def visit_status(me: Citizen, lang: str) -> None:
    """Signed in, "what happened to my application?"."""
    me.new_visit("ko")
    me.expect(await me.sign_in(me.rng.choice(["c-1001", "c-2001", "c-3001", "c-4001"])))
    await me.think()
    await me.script([("status", "내 신청 현황 알려줘")])


SCENARIOS: dict[str, Callable[[Citizen, str], Awaitable[None]]] = {
    "question_ko": lambda me, _: visit_question(me, "ko"),
    "question_en": lambda me, _: visit_question(me, "en"),
    "chitchat": lambda me, _: visit_chitchat(me, me.rng.choice(["ko", "en"])),
    "certificate": visit_certificate,
    "move_in": visit_move_in,
    "status": visit_status,
}


_PHOTO: bytes | None = None


def id_photo() -> bytes:
    """A small real JPEG (made once): the upload route checks content, not names."""
    global _PHOTO
    if _PHOTO is None:
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (320, 200), (200, 30, 30)).save(buffer, format="JPEG")
        _PHOTO = buffer.getvalue()
    return _PHOTO


# ---- phases -----------------------------------------------------------------------------------------


async def _citizen_loop(me: Citizen, visit: Callable[[Citizen], Awaitable[None]]) -> None:
    # Citizens arrive spread over the first think interval, not all in the same millisecond.
    await asyncio.sleep(me.rng.uniform(0, me.think_range[1]))
    try:
        while me.time_left:
            try:
                await visit(me)
            except VisitOver:
                pass
            await me.think()
    finally:
        await me.http.aclose()


async def run_crowd(base_url: str, visit: Callable[[Citizen], Awaitable[None]], citizens: int, seconds: float,
                    seed: int, think: tuple[float, float], recorder: Recorder) -> dict[str, Any]:
    """`citizens` concurrent citizens doing `visit` over and over for `seconds` (turns go to `recorder`
    unless a visit picks another); returns the elapsed time and the load average around it."""
    crowd = [Citizen(i, base_url, recorder, seed, think, deadline=0.0) for i in range(citizens)]
    load_before = os.getloadavg()
    started = time.monotonic()
    for me in crowd:  # after the clients exist: making 20 of them takes a while on a busy machine
        me.deadline = started + seconds
    await asyncio.gather(*(_citizen_loop(me, visit) for me in crowd))
    return {"elapsed_s": time.monotonic() - started, "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()]}


def phase_result(recorder: Recorder, crowd: dict[str, Any]) -> dict[str, Any]:
    """A phase's summary with its load average and error samples."""
    result = recorder.summary(crowd["elapsed_s"])
    result["load_average_before"] = crowd["load_average_before"]
    result["load_average_after"] = crowd["load_average_after"]
    result["error_samples"] = recorder.samples
    return result


async def run_phase(phase: str, base_url: str, visit: Callable[[Citizen], Awaitable[None]], citizens: int,
                    seconds: float, seed: int, think: tuple[float, float]) -> dict[str, Any]:
    """One crowd doing `visit` for `seconds`; returns the phase summary."""
    recorder = Recorder(phase)
    return phase_result(recorder, await run_crowd(base_url, visit, citizens, seconds, seed, think, recorder))


def mix_visit(me: Citizen) -> Awaitable[None]:
    """The next visit of the realistic mix."""
    name = me.rng.choices(list(MIX), weights=list(MIX.values()))[0]
    return SCENARIOS[name](me, "ko")


async def simple_visit(me: Citizen) -> None:
    """Hello, thanks, goodbye through the service (the like-for-like of `bare_visit`)."""
    await visit_chitchat(me, me.rng.choice(["ko", "en"]))


def bare_visit_for(rasa_url: str) -> Callable[[Citizen], Awaitable[None]]:
    """Hello, thanks, goodbye posted straight to Rasa's REST channel."""
    async def bare_visit(me: Citizen) -> None:
        me.new_visit(me.rng.choice(["ko", "en"]))
        for message in SIMPLE[me.lang]:
            if not me.time_left:
                return
            replies = await me.request("chitchat", "POST", f"{rasa_url}/webhooks/rest/webhook", json={
                "sender": me.sender, "message": message, "metadata": {"lang": me.lang, "channel": "web"}})
            me.expect(isinstance(replies, list) and bool(replies))
            await me.think()
    return bare_visit


async def run_baseline(base_url: str, rasa_url: str, citizens: int, seconds: float, seed: int,
                       think: tuple[float, float]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Bare-Rasa and through-the-service simple visits interleaved in one crowd (each citizen
    alternates, even citizens starting bare, odd ones through the service), so both see the same
    machine at the same moment: on a shared machine whose load swings by the minute, two phases
    run one after the other would compare two machines."""
    bare, simple = Recorder("bare"), Recorder("simple")
    bare_visit = bare_visit_for(rasa_url)

    async def visit(me: Citizen) -> None:
        me.recorder = bare if (me.index + me.visit) % 2 == 0 else simple
        await (bare_visit(me) if me.recorder is bare else simple_visit(me))

    crowd = await run_crowd(base_url, visit, citizens, seconds, seed + 1, think, bare)
    return phase_result(bare, crowd), phase_result(simple, crowd)


async def warm_up(base_url: str, rasa_url: str) -> None:
    """One of each kind first: first-call costs (model graphs, caches) are not what is measured."""
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as http:
        for lang, questions in (("ko", QUESTIONS_KO), ("en", QUESTIONS_EN)):
            for i, message in enumerate([*SIMPLE[lang], *questions[:3]]):
                await http.post("/api/chat", json={"sender": f"load-warm-{lang}-{i}", "message": message,
                                                   "metadata": {"lang": lang}})
        await http.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": "load-warm-bare", "message": "안녕하세요"})


# ---- the run ----------------------------------------------------------------------------------------


async def measure(base_url: str, rasa_url: str, citizens: int, seconds: float, baseline_seconds: float, seed: int,
                  think: tuple[float, float], warm: bool = True) -> dict[str, Any]:
    """Warm up, then the three phases; returns the whole report."""
    if warm:
        await warm_up(base_url, rasa_url)
    mix = await run_phase("mix", base_url, mix_visit, citizens, seconds, seed, think)
    bare, simple = await run_baseline(base_url, rasa_url, citizens, baseline_seconds, seed, think)
    bare_p50 = bare["latency"].get("p50_ms") or float("nan")
    question_p50 = mix["by_kind"].get("question", {}).get("p50_ms", float("nan"))
    return {
        "citizens": citizens,
        "seconds": seconds,
        "baseline_seconds": baseline_seconds,
        "think_time_s": list(think),
        "seed": seed,
        "mix_weights": MIX,
        "phases": {"mix": mix, "bare_rasa": bare, "simple_via_service": simple},
        "ratios": {
            "simple_vs_bare_p50": _ratio(simple["latency"].get("p50_ms"), bare_p50),
            "question_vs_bare_p50": _ratio(question_p50, bare_p50),
            "mix_vs_bare_p50": _ratio(mix["latency"].get("p50_ms"), bare_p50),
        },
        "targets": {
            "zero_errors": mix["errors"] == 0 and simple["errors"] == 0,
            "p95_le_300ms": mix["latency"].get("p95_ms", float("inf")) <= 300,
            "simple_within_2x_bare": _ratio(simple["latency"].get("p50_ms"), bare_p50) <= 2,
            # The figure: the full turn (service + Rasa + actions + retrieval) against bare Rasa.
            "mix_within_2x_bare": _ratio(mix["latency"].get("p50_ms"), bare_p50) <= 2,
            "question_within_2x_bare": _ratio(question_p50, bare_p50) <= 2,
        },
    }


def _ratio(a: float | None, b: float | None) -> float:
    if not a or not b or b != b:
        return float("nan")
    return round(a / b, 2)


def headline(report: dict[str, Any]) -> dict[str, Any]:
    """The summary merged into results.json."""
    mix = report["phases"]["mix"]
    return {
        "started": report["started"],
        "citizens": report["citizens"],
        "seconds": report["seconds"],
        "think_time_s": report["think_time_s"],
        "throughput_turns_per_s": mix["throughput_turns_per_s"],
        "turn": mix["latency"],
        "by_kind": {k: {"p50_ms": v["p50_ms"], "p95_ms": v["p95_ms"], "n": v["n"]} for k, v in mix["by_kind"].items()},
        "errors": mix["errors"],
        "bare_rasa_p50_ms": report["phases"]["bare_rasa"]["latency"].get("p50_ms"),
        "simple_via_service_p50_ms": report["phases"]["simple_via_service"]["latency"].get("p50_ms"),
        "ratios": report["ratios"],
        "load_average": mix["load_average_after"],
    }


def write(report: dict[str, Any], out: Path) -> Path:
    """reports/bench/load.json, and the summary merged into reports/bench/results.json."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "load.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    results_path = out / "results.json"
    try:
        results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else {}
    except ValueError:
        results = {}
    results["load"] = headline(report)
    results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def started_system(var_root: Path, extra_env: dict[str, str]) -> Any:
    """`assistant serve` on free ports with a data folder of its own (as the integration tests start it)."""
    from tests.integration.conftest import start_assistant

    running = start_assistant(var_root / "var", extra_env)
    running.wait_health(200)
    return running


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Entry point; returns the report (tests call it)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=20, help="concurrent citizens (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the mixed phase (default 60)")
    parser.add_argument("--baseline-seconds", type=float, help="length of the bare and simple phases (default --seconds)")
    parser.add_argument("--url", help="the running service (e.g. http://127.0.0.1:8000); default: start one")
    parser.add_argument("--rasa-url", help="its Rasa server (default with --url: http://127.0.0.1:5005)")
    parser.add_argument("--think-min", type=float, default=1.0, help="shortest think time between turns, s")
    parser.add_argument("--think-max", type=float, default=3.0, help="longest think time between turns, s")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-warm-up", dest="warm", action="store_false", help="skip the warm-up turns")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "reports" / "bench")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for the started system (repeatable)")
    args = parser.parse_args(argv)
    think = (args.think_min, args.think_max)
    baseline = args.baseline_seconds if args.baseline_seconds is not None else args.seconds
    report: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": platform.machine(),
                              "cores": os.cpu_count()}
    if args.url:
        base_url, rasa_url = args.url.rstrip("/"), (args.rasa_url or "http://127.0.0.1:5005").rstrip("/")
        report.update(asyncio.run(measure(base_url, rasa_url, args.citizens, args.seconds, baseline, args.seed, think, args.warm)))
        report["system"] = {"url": base_url, "rasa_url": rasa_url, "started_here": False}
    else:
        from tests.integration.conftest import stop_assistant

        # Rasa loads TensorFlow graphs: on a busy machine that can take longer than the default wait.
        extra_env = {"ASSISTANT_RASA_START_TIMEOUT_S": "900", **dict(item.split("=", 1) for item in args.env)}
        var_root = Path(tempfile.mkdtemp(prefix="bench-load-"))
        running = None
        try:
            started = time.monotonic()
            running = started_system(var_root, extra_env)
            ready_s = time.monotonic() - started
            rasa_url = f"http://127.0.0.1:{running.rasa_port}"
            report.update(asyncio.run(measure(running.url, rasa_url, args.citizens, args.seconds, baseline, args.seed, think, args.warm)))
            report["system"] = {"url": running.url, "rasa_url": rasa_url, "started_here": True, "ready_s": round(ready_s, 1)}
        finally:
            if running is not None:
                stop_assistant(running)
            shutil.rmtree(var_root, ignore_errors=True)
    path = write(report, args.out)
    print(json.dumps(headline(report), indent=2, ensure_ascii=False))
    print(f"written to {path}")
    return report


if __name__ == "__main__":
    main()
