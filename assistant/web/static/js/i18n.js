// Words of the two pages, Korean first. Bot replies come translated from the service; these are
// only the page's own labels.

export const TEXT = {
  ko: {
    title: "민원 안내 도우미", kioskTitle: "무인 민원 안내", placeholder: "무엇을 도와드릴까요?", send: "보내기",
    label: "메시지", sources: "출처", error: "연결에 문제가 있어요. 잠시 후 다시 시도해 주세요.",
    signIn: "로그인", signOut: "로그아웃", resident: "주민 (데모)", pin: "PIN (데모: 1234)",
    download: "증명서 PDF 내려받기 (견본)", uploading: "서류 올리는 중…", typing: "답변을 준비하고 있어요…",
    uploadButton: "서류 사진 찍기 / 파일 고르기", attach: "서류 올리기", receipt: "접수증", receiptNumber: "접수번호", filedAt: "접수 일시",
    print: "접수증 인쇄", kind: "신청", signedInAs: "로그인:", you: "나", guide: "안내 도우미",
    kinds: { birth_registration: "출생신고", move_in: "전입신고", resident_certificate: "주민등록표 등본 발급" },
    home: "처음으로", bigger: "글자 크게", contrast: "고대비", mute: "음성 끄기", unmute: "음성 켜기",
    mic: "말하기", listening: "듣고 있어요…", micError: "음성을 알아듣지 못했어요. 화면을 눌러 주세요.",
    idleQuestion: "계속하시겠어요?", idleContinue: "계속하기", idleRestart: "처음부터",
    idleCountdown: (s) => `${s}초 뒤에 처음 화면으로 돌아가요. 입력한 내용은 지워집니다.`,
    welcome: "안녕하세요! 무엇을 도와드릴까요? 아래에서 고르시거나 말씀해 주세요.",
    tilesLabel: "자주 찾는 민원", choosePerson: "누구로 로그인할까요? (데모 주민)", enterPin: "PIN 4자리를 눌러 주세요 (데모: 1234)",
    clear: "지우기", cancel: "닫기", ok: "확인", dateToday: "오늘", dateYesterday: "어제", atHome: "자택",
    keyboard: "입력", language: "언어",
  },
  en: {
    title: "Public-service assistant", kioskTitle: "Self-service guide", placeholder: "How can I help?", send: "Send",
    label: "Message", sources: "Source", error: "Connection problem. Please try again shortly.",
    signIn: "Sign in", signOut: "Sign out", resident: "Resident (demo)", pin: "PIN (demo: 1234)",
    download: "Download the certificate PDF (sample)", uploading: "Uploading the document…", typing: "Preparing an answer…",
    uploadButton: "Take a photo / choose a file", attach: "Upload a document", receipt: "Receipt", receiptNumber: "Receipt number", filedAt: "Filed at",
    print: "Print the receipt", kind: "Application", signedInAs: "Signed in:", you: "You", guide: "Guide",
    kinds: { birth_registration: "Birth registration", move_in: "Move-in report", resident_certificate: "Resident registration certificate" },
    home: "Start over", bigger: "Larger text", contrast: "High contrast", mute: "Voice off", unmute: "Voice on",
    mic: "Speak", listening: "Listening…", micError: "I could not hear that. Please use the screen.",
    idleQuestion: "Do you want to continue?", idleContinue: "Continue", idleRestart: "Start over",
    idleCountdown: (s) => `Going back to the start in ${s} s. What you entered will be erased.`,
    welcome: "Hello! How can I help? Choose below or just tell me.",
    tilesLabel: "Most used services", choosePerson: "Who is signing in? (demo residents)", enterPin: "Tap your 4-digit PIN (demo: 1234)",
    clear: "Clear", cancel: "Close", ok: "OK", dateToday: "today", dateYesterday: "yesterday", atHome: "at home",
    keyboard: "Type", language: "Language",
  },
};

/** The services shown as large tiles on the kiosk, with what tapping one says to the assistant. */
export const TILES = [
  { id: "birth", icon: "👶", ko: ["출생신고", "출생신고 하고 싶어요"], en: ["Birth registration", "I want to register a birth"] },
  { id: "move", icon: "🏠", ko: ["전입신고", "전입신고 하려고요"], en: ["Move-in report", "I want to report a move-in"] },
  { id: "certificate", icon: "📄", ko: ["주민등록등본 발급", "등본 떼 주세요"], en: ["Resident certificate", "I need a copy of my resident registration"] },
  { id: "status", icon: "🔎", ko: ["내 신청 현황", "내 신청 현황"], en: ["My applications", "show my application status"] },
  { id: "passport", icon: "🛂", ko: ["여권 발급 안내", "여권 발급은 어떻게 하나요?"], en: ["Passport", "How do I get a passport?"] },
  { id: "welfare", icon: "🤝", ko: ["아동수당 안내", "아동수당 신청 방법 알려 주세요"], en: ["Child allowance", "How do I apply for the child allowance?"] },
];
