"""Analytics for staff: figures as JSON, charts as server-rendered SVG, everything as CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from assistant.staff.charts import CHARTS, chart_for, summary_csv
from assistant.web.errors import ApiError, request_lang
from assistant.web.staff_deps import ConsoleDep, Editor

router = APIRouter(prefix="/api/staff/analytics", tags=["staff"])
CHART_NAMES = (*CHARTS, "funnel")


def _days(days: int) -> int:
    return min(max(days, 1), 366)


@router.get("")
async def summary(member: Editor, console: ConsoleDep, days: int = 30) -> dict[str, Any]:
    """Conversations per day, intents, fallback rate, form funnel, most asked services."""
    return await run_in_threadpool(console.analytics.summary, _days(days))


@router.get("/charts/{name}.svg")
async def chart(name: str, request: Request, member: Editor, console: ConsoleDep, days: int = 30) -> Response:
    """One chart: conversations, intents, services or funnel."""
    if name not in CHART_NAMES:
        raise ApiError(404, "chart_not_found", request_lang(request))
    data = await run_in_threadpool(console.analytics.summary, _days(days))
    return Response(chart_for(name, data), media_type="image/svg+xml",
                    headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@router.get("/export.csv")
async def export(member: Editor, console: ConsoleDep, days: int = 30) -> Response:
    """Every figure as CSV."""
    data = await run_in_threadpool(console.analytics.summary, _days(days))
    return Response("\ufeff" + summary_csv(data), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="analytics.csv"', "Cache-Control": "no-store"})
