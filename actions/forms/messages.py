"""What the application forms say, in Korean and English (merged into `actions.i18n.MESSAGES`)."""

from __future__ import annotations

FORM_MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ shared
    "sign_in_first": {
        "ko": "신청서를 작성하려면 먼저 로그인해 주세요. 로그인하신 뒤 '로그인했어요'라고 말씀해 주시면 이어서 진행할게요. 그만두시려면 '취소'라고 해 주세요.",
        "en": "Please sign in first to fill in an application. Once you have, say \"I signed in\" and we will carry on. Say \"cancel\" to stop.",
    },
    "prefill_intro": {
        "ko": "등록된 정보로 미리 채웠어요. 맞는지 확인해 주세요.",
        "en": "I filled these in from your resident record. Please check them.",
    },
    "prefill_question": {
        "ko": "이 정보가 맞나요? 틀린 것이 있으면 '아니요'라고 하시거나 바꿀 내용을 말씀해 주세요.",
        "en": "Is this right? Say \"no\" or tell me what to change.",
    },
    "button_correct": {"ko": "네, 맞아요", "en": "Yes, that's right"},
    "button_incorrect": {"ko": "아니요, 고칠게요", "en": "No, I'll correct it"},
    "confirm_help": {
        "ko": "'네'(제출), '아니요'(제출 안 함), 또는 바꿀 내용을 말씀해 주세요. 예: '생년월일 3월 4일로 바꿔줘'",
        "en": "Say \"yes\" to submit, \"no\" not to, or what to change, e.g. \"change the birth date to March 4\".",
    },
    "prefill_help": {
        "ko": "'네' 또는 '아니요'로 답하시거나, 바꿀 내용을 말씀해 주세요.",
        "en": "Please answer \"yes\" or \"no\", or tell me what to change.",
    },
    "changed": {"ko": "바꿨어요.", "en": "Changed."},
    "doc_need_upload": {
        "ko": "사진 올리기(📎) 버튼으로 서류 사진이나 PDF를 올려 주세요.",
        "en": "Please use the upload (📎) button to send a photo or PDF of the document.",
    },
    "doc_unknown": {
        "ko": "올린 파일을 찾을 수 없어요. 다시 올려 주세요.",
        "en": "I couldn't find that upload. Please upload the file again.",
    },
    "doc_received": {"ko": "서류를 받았어요.", "en": "Got the document."},
    "upload_empty": {"ko": "빈 파일이에요. 서류 사진을 다시 올려 주세요.", "en": "The file is empty. Please upload the photo again."},
    "upload_too_large": {
        "ko": "파일이 너무 커요. 10MB 이하의 사진이나 PDF를 올려 주세요.",
        "en": "The file is too large. Please upload a photo or PDF of at most 10 MB.",
    },
    "upload_type_not_allowed": {
        "ko": "JPEG, PNG 사진이나 PDF 파일만 받을 수 있어요. 서류를 사진으로 찍어 다시 올려 주세요.",
        "en": "Only JPEG or PNG photos and PDF files can be accepted. Please take a photo of the document and upload it again.",
    },
    "upload_damaged": {
        "ko": "파일이 손상되어 열 수 없어요. 다시 찍어서 올려 주세요.",
        "en": "The file is damaged and cannot be opened. Please take the photo again.",
    },
    "upload_hidden_content": {
        "ko": "사진이나 PDF 안에 다른 파일이나 스크립트가 숨어 있어 받을 수 없어요. 원본 사진을 다시 올려 주세요.",
        "en": "The file hides another file or a script inside, so it was refused. Please upload the original photo.",
    },
    "upload_too_many_pixels": {
        "ko": "사진 해상도가 너무 커요 (최대 4천만 화소). 크기를 줄여서 다시 올려 주세요.",
        "en": "The image resolution is too large (at most 40 megapixels). Please upload a smaller photo.",
    },
    "button_submit": {"ko": "네, 제출해 주세요", "en": "Yes, submit it"},
    "button_dont_submit": {"ko": "아니요", "en": "No"},
    "not_signed_in_submit": {
        "ko": "로그인이 끊어져 아무것도 제출하지 않았어요. 다시 로그인한 뒤 신청을 처음부터 해 주세요.",
        "en": "You are no longer signed in, so nothing was submitted. Please sign in and start the application again.",
    },
    # --------------------------------------------------------- birth registration
    "ask_father_name": {"ko": "아버지 성함을 알려 주세요.", "en": "What is the father's name (in Hangul)?"},
    "ask_mother_name": {"ko": "어머니 성함을 알려 주세요.", "en": "What is the mother's name (in Hangul)?"},
    "ask_registration_base": {
        "ko": "아기의 등록기준지를 알려 주세요. (예: 서울특별시 종로구 평창동 123)",
        "en": "What is the baby's registration base (등록기준지)? (e.g. 서울특별시 종로구 평창동 123)",
    },
    "ask_reporter_relation": {
        "ko": "신고하시는 분은 아기의 누구인가요? (아버지/어머니)",
        "en": "Who is filing: the baby's father or mother?",
    },
    "ask_child_sex": {"ko": "아기의 성별을 알려 주세요.", "en": "Is the baby a girl or a boy?"},
    "ask_child_birth_time": {
        "ko": "태어난 시각을 알려 주세요. (예: 오후 3시 20분, 15:20)",
        "en": "What time was the baby born? (e.g. 3:20 pm, 15:20)",
    },
    "ask_birth_place": {
        "ko": "태어난 곳을 알려 주세요. (병원 이름 또는 '자택')",
        "en": "Where was the baby born? (the hospital's name, or \"at home\")",
    },
    "ask_doc_birth_certificate": {
        "ko": "병원에서 받은 출생증명서 사진을 올려 주세요. (JPEG, PNG 또는 PDF, 10MB 이하)",
        "en": "Please upload a photo of the birth certificate from the hospital (JPEG, PNG or PDF, up to 10 MB).",
    },
    "ask_doc_reporter_id": {
        "ko": "신고하시는 분의 신분증 사진을 올려 주세요.",
        "en": "Please upload a photo of your ID card (the person filing).",
    },
    "ask_doc_signed_form": {
        "ko": "안내서에 따라 신고인이 서명한 출생신고서 사진도 필요해요. 서명한 출생신고서를 올려 주세요.",
        "en": "The guide also requires the birth registration form signed by the person filing. Please upload a photo of the signed form.",
    },
    "sex_invalid": {"ko": "여자아이인지 남자아이인지 알려 주세요.", "en": "Please say whether the baby is a girl or a boy."},
    "time_invalid": {
        "ko": "시각을 알아듣지 못했어요. '오후 3시 20분'이나 '15:20'처럼 말씀해 주세요.",
        "en": "I couldn't read that time. Please say it like \"3:20 pm\" or \"15:20\".",
    },
    "place_invalid": {
        "ko": "태어난 곳을 2~60자로 알려 주세요. 예: 서울대학교병원, 자택",
        "en": "Please name the place of birth (2 to 60 characters), e.g. a hospital, or \"at home\".",
    },
    "relation_invalid": {
        "ko": "신고하시는 분이 아기의 아버지인지 어머니인지 알려 주세요.",
        "en": "Please say whether you are the baby's father or mother.",
    },
    "base_invalid": {
        "ko": "등록기준지를 '시/도 시/군/구 동/읍/면 번지' 형태로 알려 주세요. 예: 서울특별시 종로구 평창동 123",
        "en": "Please give the registration base as province, district and town, e.g. 서울특별시 종로구 평창동 123.",
    },
    "birth_prefill": {
        "ko": "- 아버지: {father_name}\n- 어머니: {mother_name}\n- 등록기준지: {registration_base}\n- 신고인: {reporter}",
        "en": "- Father: {father_name}\n- Mother: {mother_name}\n- Registration base: {registration_base}\n- Filed by: {reporter}",
    },
    "birth_summary_full": {
        "ko": "출생신고 내용을 확인해 주세요.\n- 아기 이름: {child_name}\n- 성별: {sex}\n- 출생일: {child_birth_date}\n- 출생 시각: {child_birth_time}\n- 출생 장소: {birth_place}\n- 아버지: {father_name}\n- 어머니: {mother_name}\n- 등록기준지: {registration_base}\n- 신고인: {reporter}\n- 첨부 서류: {documents}\n이대로 제출할까요? 바꿀 것이 있으면 '생년월일 3월 4일로 바꿔줘'처럼 말씀해 주세요.",
        "en": "Please check the birth registration.\n- Baby's name: {child_name}\n- Sex: {sex}\n- Date of birth: {child_birth_date}\n- Time of birth: {child_birth_time}\n- Place of birth: {birth_place}\n- Father: {father_name}\n- Mother: {mother_name}\n- Registration base: {registration_base}\n- Filed by: {reporter}\n- Documents: {documents}\nShall I submit it? To change something, say e.g. \"change the birth date to March 4\".",
    },
    # ------------------------------------------------------------------- move-in
    "ask_previous_address": {"ko": "지금(이사 전) 주소를 알려 주세요.", "en": "What was your address before the move?"},
    "ask_new_address": {
        "ko": "새 주소를 도로명주소로 알려 주세요. (예: 서울특별시 마포구 월드컵로 240 101동 1001호)",
        "en": "What is your new road-name address? (e.g. 서울특별시 마포구 월드컵로 240 101동 1001호 or 240 World Cup-ro, Mapo-gu, Seoul)",
    },
    "ask_move_date": {
        "ko": "이사한 날짜를 알려 주세요. (예: 11월 20일, 어제)",
        "en": "When did you move? (e.g. November 20, yesterday)",
    },
    "ask_doc_mover_id": {
        "ko": "신고하시는 분의 신분증 사진을 올려 주세요. (JPEG, PNG 또는 PDF, 10MB 이하)",
        "en": "Please upload a photo of your ID card (JPEG, PNG or PDF, up to 10 MB).",
    },
    "ask_moving_members": {
        "ko": "함께 이사하는 세대원을 골라 주세요. (예: 모두, 본인만, 저랑 아내)",
        "en": "Who is moving with you? (e.g. everyone, just me, me and my wife)",
    },
    "address_invalid": {
        "ko": "도로명주소를 알아보지 못했어요. '시/도 시/군/구 도로명 건물번호' 형태로 알려 주세요. 예: 서울특별시 마포구 월드컵로 240",
        "en": "That doesn't look like a road-name address. Please give province, district, road and building number, e.g. 서울특별시 마포구 월드컵로 240.",
    },
    "address_same": {
        "ko": "새 주소가 지금 주소와 같아요. 이사할 곳의 주소를 알려 주세요.",
        "en": "The new address is the same as your current one. Please give the address you moved to.",
    },
    "move_in_future": {
        "ko": "전입신고는 이사한 뒤에 할 수 있어요. 오늘({today}) 또는 그 이전 날짜를 알려 주세요.",
        "en": "A move-in is reported after moving. Please give today ({today}) or an earlier date.",
    },
    "move_in_late": {
        "ko": "이사한 지 14일이 지났어요. 늦게 신고하면 과태료가 부과될 수 있지만, 신고는 계속 진행할게요.",
        "en": "More than 14 days have passed since the move. A late report may bring a fine, but we can still file it.",
    },
    "members_invalid": {
        "ko": "누가 함께 이사하는지 알아듣지 못했어요. 버튼에서 고르시거나 '모두', '본인만'처럼 말씀해 주세요.",
        "en": "I couldn't tell who is moving. Pick a button, or say \"everyone\" or \"just me\".",
    },
    "button_members_all": {"ko": "모두 ({names})", "en": "Everyone ({names})"},
    "button_members_me": {"ko": "본인만 ({name})", "en": "Just me ({name})"},
    "move_in_prefill": {
        "ko": "- 신고인: {name} ({rrn_masked})\n- 이전 주소: {previous_address}\n- 세대원: {household}",
        "en": "- Filed by: {name} ({rrn_masked})\n- Previous address: {previous_address}\n- Household: {household}",
    },
    "move_in_summary": {
        "ko": "전입신고 내용을 확인해 주세요.\n- 신고인: {name}\n- 이전 주소: {previous_address}\n- 새 주소: {new_address}\n- 이사한 날: {move_date}\n- 이사하는 사람: {members}\n- 첨부 서류: {documents}\n이대로 제출할까요?",
        "en": "Please check the move-in report.\n- Filed by: {name}\n- Previous address: {previous_address}\n- New address: {new_address}\n- Moved on: {move_date}\n- Moving: {members}\n- Documents: {documents}\nShall I submit it?",
    },
    # ----------------------------------------------------- resident certificate
    "ask_certificate_type": {
        "ko": "어떤 증명서가 필요하세요? 등본(세대 전체)과 초본(본인의 주소 이력) 중에서 골라 주세요.",
        "en": "Which do you need: a copy (등본, the whole household) or an abstract (초본, your address history)?",
    },
    "ask_certificate_copies": {"ko": "몇 부가 필요하세요? (1~10부)", "en": "How many copies do you need? (1 to 10)"},
    "ask_certificate_delivery": {
        "ko": "어떻게 받으시겠어요? PDF로 내려받기 또는 키오스크에서 출력",
        "en": "How would you like it: download as PDF, or print at the kiosk?",
    },
    "ask_certificate_options": {
        "ko": "포함할 내용을 골라 주세요. 기본은 과거 주소 미포함, 주민등록번호 뒷자리 가림이에요.",
        "en": "What should it show? By default past addresses are left out and the back digits of the registration number are masked.",
    },
    "ask_certificate_purpose": {
        "ko": "어디에 쓰실 건가요? (예: 은행 제출용, 회사 제출용)",
        "en": "What is it for? (e.g. for the bank, for my employer)",
    },
    "certificate_type_invalid": {
        "ko": "등본 또는 초본 중에서 골라 주세요.",
        "en": "Please choose a copy (등본) or an abstract (초본).",
    },
    "copies_invalid": {"ko": "몇 부인지 숫자로 알려 주세요. 예: 2부", "en": "Please give the number of copies, e.g. 2 copies."},
    "copies_range": {"ko": "한 번에 1부부터 10부까지 발급할 수 있어요.", "en": "You can get 1 to 10 copies at a time."},
    "options_invalid": {
        "ko": "버튼에서 고르시거나 '기본으로', '과거 주소 포함', '뒷자리 표시'처럼 말씀해 주세요.",
        "en": "Pick a button, or say \"default\", \"include past addresses\" or \"show the back digits\".",
    },
    "purpose_invalid": {
        "ko": "용도를 2~40자로 알려 주세요. 예: 은행 제출용",
        "en": "Please say what it is for (2 to 40 characters), e.g. for the bank.",
    },
    "delivery_invalid": {
        "ko": "'PDF' 또는 '키오스크 출력' 중에서 골라 주세요.",
        "en": "Please choose \"PDF\" or \"print at the kiosk\".",
    },
    "certificate_prefill": {
        "ko": "- 신청인: {name} ({rrn_masked})\n- 주소: {address}\n- 종류: {certificate_type}\n- 부수: {copies}부\n- 받는 방법: {delivery}",
        "en": "- Applicant: {name} ({rrn_masked})\n- Address: {address}\n- Type: {certificate_type}\n- Copies: {copies}\n- Delivery: {delivery}",
    },
    "certificate_summary": {
        "ko": "주민등록표 발급 신청 내용을 확인해 주세요.\n- 종류: {certificate_type}\n- 포함 내용: {options}\n- 부수: {copies}부\n- 용도: {purpose}\n- 받는 방법: {delivery}\n이대로 발급할까요?",
        "en": "Please check the certificate request.\n- Type: {certificate_type}\n- Shows: {options}\n- Copies: {copies}\n- Purpose: {purpose}\n- Delivery: {delivery}\nShall I issue it?",
    },
    "certificate_issued_pdf": {
        "ko": "발급되었어요 (견본). 접수번호는 {receipt_number} 입니다. 아래 링크에서 PDF를 내려받으세요 (본인만 열 수 있어요): {url}",
        "en": "Issued (sample). Your receipt number is {receipt_number}. Download the PDF here (only you can open it): {url}",
    },
    "certificate_issued_print": {
        "ko": "발급되었어요 (견본). 접수번호는 {receipt_number} 입니다. 키오스크에서 출력해 드릴게요. PDF로도 받으실 수 있어요: {url}",
        "en": "Issued (sample). Your receipt number is {receipt_number}. The kiosk will print it; you can also download the PDF: {url}",
    },
    "move_in_submitted": {
        "ko": "전입신고가 접수되었어요. 접수번호는 {receipt_number} 입니다.",
        "en": "Your move-in report has been submitted. Your receipt number is {receipt_number}.",
    },
}

# Readable names of coded answers, per language.
VALUE_NAMES: dict[str, dict[str, str]] = {
    "F": {"ko": "여자", "en": "girl"},
    "M": {"ko": "남자", "en": "boy"},
    "father": {"ko": "아버지", "en": "father"},
    "mother": {"ko": "어머니", "en": "mother"},
    "other": {"ko": "동거 친족", "en": "a relative"},
    "pdf": {"ko": "PDF 내려받기", "en": "PDF download"},
    "kiosk_print": {"ko": "키오스크 출력", "en": "print at the kiosk"},
    "등본": {"ko": "주민등록표 등본", "en": "copy (등본)"},
    "초본": {"ko": "주민등록표 초본", "en": "abstract (초본)"},
    "standard": {"ko": "기본 (과거 주소 미포함, 뒷자리 가림)", "en": "default (no past addresses, back digits masked)"},
    "with_history": {"ko": "과거 주소 포함, 뒷자리 가림", "en": "past addresses, back digits masked"},
    "show_digits": {"ko": "과거 주소 미포함, 뒷자리 표시", "en": "no past addresses, back digits shown"},
    "with_history_show_digits": {"ko": "과거 주소 포함, 뒷자리 표시", "en": "past addresses, back digits shown"},
    "spouse": {"ko": "배우자", "en": "spouse"},
    "child": {"ko": "자녀", "en": "child"},
    "parent": {"ko": "부모", "en": "parent"},
    "doc_birth_certificate": {"ko": "출생증명서", "en": "birth certificate"},
    "doc_reporter_id": {"ko": "신고인 신분증", "en": "filer's ID card"},
    "doc_signed_form": {"ko": "서명한 출생신고서", "en": "signed registration form"},
    "doc_mover_id": {"ko": "신고인 신분증", "en": "filer's ID card"},
}


def value_name(value: object, lang: str) -> str:
    """The readable name of a coded answer ("F" -> 여자 / girl), else the value itself."""
    names = VALUE_NAMES.get(str(value))
    return names.get(lang, names["ko"]) if names else ("-" if value in (None, "") else str(value))
