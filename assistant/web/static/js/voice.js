// Speaking instead of typing: the browser's speech recognition where it exists. The microphone
// button stays hidden on platforms without it.

const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition || null;

/** True when this browser can turn speech into text. */
export const canListen = Boolean(Recognition);

/**
 * Listen once in `lang`; resolves to the recognised text, rejects on an error or silence.
 */
export function listenOnce(lang) {
  return new Promise((resolve, reject) => {
    const recognition = new Recognition();
    recognition.lang = lang === "en" ? "en-US" : "ko-KR";
    recognition.interimResults = false;
    recognition.maxAlternatives = 1;
    let heard = "";
    recognition.addEventListener("result", (event) => { heard = event.results[0][0].transcript; });
    recognition.addEventListener("error", (event) => reject(new Error(event.error)));
    recognition.addEventListener("end", () => (heard ? resolve(heard) : reject(new Error("no-speech"))));
    recognition.start();
  });
}
