"""Errors as the citizen's language: `{"error": {"code", "message"}}` in Korean or English."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

MESSAGES: dict[str, dict[str, str]] = {
    "invalid_json": {
        "ko": "요청 본문이 올바른 JSON이 아니에요.",
        "en": "The request body is not valid JSON.",
    },
    "invalid_request": {
        "ko": "요청 형식이 올바르지 않아요: {detail}",
        "en": "The request is not valid: {detail}",
    },
    "empty_message": {"ko": "메시지가 비어 있어요. 내용을 입력해 주세요.", "en": "The message is empty. Please type something."},
    "message_too_long": {
        "ko": "메시지가 너무 길어요. {limit}자 이내로 보내 주세요.",
        "en": "The message is too long. Please keep it under {limit} characters.",
    },
    "body_too_large": {"ko": "요청이 너무 커요.", "en": "The request is too large."},
    "assistant_unavailable": {
        "ko": "상담 엔진이 잠시 응답하지 않아요. 잠시 후 다시 시도해 주세요.",
        "en": "The assistant is not answering right now. Please try again in a moment.",
    },
    "not_found": {"ko": "요청한 주소를 찾을 수 없어요.", "en": "That address does not exist."},
    "method_not_allowed": {"ko": "허용되지 않는 요청 방식이에요.", "en": "That method is not allowed here."},
    "bad_query": {"ko": "검색어를 확인해 주세요: {detail}", "en": "Please check the search query: {detail}"},
    "sign_in_required": {"ko": "먼저 로그인해 주세요.", "en": "Please sign in first."},
    "sign_in_failed": {
        "ko": "로그인하지 못했어요. 주민을 선택하고 PIN을 다시 확인해 주세요.",
        "en": "Sign-in failed. Please choose a resident and check the PIN.",
    },
    "upload_empty": {"ko": "빈 파일이에요. 서류 사진을 다시 올려 주세요.", "en": "The file is empty. Please upload the photo again."},
    "upload_too_large": {
        "ko": "파일이 너무 커요. 10MB 이하의 사진이나 PDF를 올려 주세요.",
        "en": "The file is too large. Please upload a photo or PDF of at most 10 MB.",
    },
    "upload_type_not_allowed": {
        "ko": "JPEG, PNG 사진이나 PDF 파일만 올릴 수 있어요.",
        "en": "Only JPEG or PNG photos and PDF files can be uploaded.",
    },
    "upload_damaged": {
        "ko": "파일이 손상되어 열 수 없어요. 다시 찍어서 올려 주세요.",
        "en": "The file is damaged and cannot be opened. Please take the photo again.",
    },
    "staff_disabled": {
        "ko": "직원 기능이 꺼져 있어요 (ASSISTANT_STAFF_TOKEN 미설정).",
        "en": "Staff functions are switched off (ASSISTANT_STAFF_TOKEN is not set).",
    },
    "staff_token_invalid": {"ko": "직원 인증 토큰이 올바르지 않아요.", "en": "The staff token is not valid."},
    "application_not_found": {"ko": "해당 신청을 찾을 수 없어요.", "en": "No such application."},
    "illegal_transition": {
        "ko": "{current} 상태에서 {target} 상태로 바꿀 수 없어요.",
        "en": "An application cannot move from {current} to {target}.",
    },
    "note_required": {"ko": "반려할 때는 사유(note)를 적어 주세요.", "en": "A rejection needs a note saying why."},
    "admin_disabled": {
        "ko": "관리자 기능이 꺼져 있어요 (ASSISTANT_ADMIN_TOKEN 미설정).",
        "en": "Admin functions are switched off (ASSISTANT_ADMIN_TOKEN is not set).",
    },
    "admin_token_invalid": {"ko": "관리자 인증 토큰이 올바르지 않아요.", "en": "The admin token is not valid."},
    "model_not_found": {"ko": "모델을 찾을 수 없어요: {detail}", "en": "No such model: {detail}"},
    "model_refused": {"ko": "모델 적용이 거부됐어요: {detail}", "en": "Activation refused: {detail}"},
    "model_swap_failed": {"ko": "모델을 불러오지 못했어요: {detail}", "en": "The model could not be loaded: {detail}"},
    "certificate_not_found": {"ko": "발급된 증명서를 찾을 수 없어요.", "en": "No issued certificate was found."},
    "webhook_token_invalid": {
        "ko": "액션 웹훅은 이 서비스의 Rasa만 호출할 수 있어요.",
        "en": "Only this service's Rasa may call the action webhook.",
    },
    "rate_limited": {
        "ko": "요청이 너무 잦아요. {seconds}초 뒤에 다시 시도해 주세요.",
        "en": "Too many requests. Please try again in {seconds} s.",
    },
    "upload_store_failed": {
        "ko": "파일을 저장하지 못했어요 (저장 공간 문제). 아무것도 저장되지 않았으니 잠시 후 다시 올려 주세요.",
        "en": "The file could not be stored (a storage problem). Nothing was kept; please upload it again shortly.",
    },
    "upload_hidden_content": {
        "ko": "사진이나 PDF 안에 다른 파일이나 스크립트가 숨어 있어 받을 수 없어요. 원본 사진을 다시 올려 주세요.",
        "en": "The file hides another file or a script inside, so it was refused. Please upload the original photo.",
    },
    "upload_too_many_pixels": {
        "ko": "사진 해상도가 너무 커요 (최대 4천만 화소). 크기를 줄여서 올려 주세요.",
        "en": "The image resolution is too large (at most 40 megapixels). Please upload a smaller photo.",
    },
    "internal_error": {
        "ko": "일시적인 문제가 생겼어요. 잠시 후 다시 시도해 주세요.",
        "en": "Something went wrong on our side. Please try again in a moment.",
    },
}


class ApiError(Exception):
    """An error the API reports with a code and a localised message."""

    def __init__(self, status: int, code: str, lang: str = "ko", headers: dict[str, str] | None = None,
                 **params: object) -> None:
        self.status = status
        self.code = code
        self.lang = lang
        self.params = params
        self.headers = headers
        super().__init__(code)


def request_lang(request: Request) -> str:
    """"en" when the client prefers English (Accept-Language), else Korean."""
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "ko"


def error_body(code: str, lang: str, **params: object) -> dict[str, dict[str, str]]:
    """The JSON error body."""
    template = MESSAGES.get(code, {}).get(lang) or MESSAGES.get(code, {}).get("ko") or code
    try:
        message = template.format(**params)
    except (KeyError, IndexError, ValueError):  # a message missing a parameter must not become a 500
        message = template
    return {"error": {"code": code, "message": message}}


def install_error_handlers(app: FastAPI) -> None:
    """Turn every client mistake into a 4xx with a readable message, never a 500."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.lang, **exc.params), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = request_lang(request)
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(error_body("invalid_json", lang), status_code=400)
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body')}: {e.get('msg')}" for e in errors[:5]
        )
        return JSONResponse(error_body("invalid_request", lang, detail=detail), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = request_lang(request)
        code = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(exc.status_code)
        if code is None:
            return JSONResponse({"error": {"code": "http_error", "message": str(exc.detail)}}, exc.status_code)
        return JSONResponse(error_body(code, lang), status_code=exc.status_code)
