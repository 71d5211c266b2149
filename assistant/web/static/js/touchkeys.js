// The kiosk's on-screen keyboard: Korean 2-beolsik (두벌식) and QWERTY, a number row, shift, space,
// backspace and send, with big keys for touch. Jamo compose into syllables as on a real Korean
// keyboard (ㄱ+ㅣ+ㅁ -> 김, then +ㅏ -> 기마: the 받침 moves on) through hangul-js (npm, served at
// /vendor/hangul.min.js, loaded before this module).
//
// It types at the end of the message box: the jamo of the word being composed are kept, and the box
// shows the text before them plus their assembled syllables. Anything else that changes the box (the
// device's own keyboard, sending) simply starts a new composition.

const Hangul = globalThis.Hangul;
// Without the library (vendor files not installed) the keys still type, only without composing.
const assemble = Hangul ? (jamo) => Hangul.assemble(jamo) : (jamo) => jamo.join("");
if (!Hangul) console.warn("hangul-js is missing (/vendor/hangul.min.js): Korean keys type unassembled jamo");

const LAYOUTS = {
  ko: ["ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ"],
  en: ["qwertyuiop", "asdfghjkl", "zxcvbnm"],
};
const KO_SHIFT = { "ㅂ": "ㅃ", "ㅈ": "ㅉ", "ㄷ": "ㄸ", "ㄱ": "ㄲ", "ㅅ": "ㅆ", "ㅐ": "ㅒ", "ㅔ": "ㅖ" };
const DIGITS = "1234567890";
const isJamo = (ch) => /[\u3131-\u3163]/.test(ch);

export const KEY_WORDS = {
  ko: { group: "화면 자판", toggle: "자판", shift: "쌍자음·대문자 (Shift)", backspace: "지우기", space: "띄어쓰기",
        toEnglish: "영문 자판으로 (ABC)", toKorean: "한글 자판으로 (한글)" },
  en: { group: "On-screen keyboard", toggle: "Keyboard", shift: "Shift", backspace: "Backspace", space: "Space",
        toEnglish: "English keys (ABC)", toKorean: "Korean keys (한글)" },
};

export class TouchKeyboard {
  /**
   * @param {HTMLElement} panel the (empty) element the keys go in
   * @param {HTMLInputElement} input the message box they type into
   * @param {{onSend: Function, sendLabel: () => string}} options what the send key does and says
   */
  constructor(panel, input, { onSend, sendLabel }) {
    this.panel = panel;
    this.input = input;
    this.onSend = onSend;
    this.sendLabel = sendLabel;
    this.mode = "ko";
    this.shift = false;
    this.words = KEY_WORDS.ko;
    this.prefix = "";   // text before the word being composed
    this.jamo = [];     // the jamo of that word, as typed
    this.written = "";  // what the box held after our last key
    this.build();
  }

  get open() { return !this.panel.hidden; }

  setOpen(open) {
    this.panel.hidden = !open;
    // While the touch keys show, the device's own keyboard stays down when the box is touched.
    if (open) this.input.setAttribute("inputmode", "none");
    else this.input.removeAttribute("inputmode");
    this.panel.dispatchEvent(new CustomEvent("toggle-keys", { bubbles: true, detail: { open } }));
  }

  /** The page's language changed: labels follow, and so does the layout (Korean or ABC). */
  setLanguage(lang) {
    this.words = KEY_WORDS[lang === "en" ? "en" : "ko"];
    this.mode = lang === "en" ? "en" : "ko";
    this.shift = false;
    this.render();
  }

  /** Back to the start: closed, Korean, nothing being composed. */
  reset(lang = "ko") {
    this.prefix = "";
    this.jamo = [];
    this.written = "";
    this.setLanguage(lang);
    this.setOpen(false);
  }

  build() {
    const key = (name, action) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "key";
      button.dataset.key = name;
      button.addEventListener("click", () => action(button));
      return button;
    };
    const row = (...keys) => {
      const div = document.createElement("div");
      div.className = "key-row";
      div.append(...keys);
      return div;
    };
    this.letterRows = [0, 1, 2].map(() => document.createElement("div"));
    this.letterRows.forEach((div) => { div.className = "key-letters"; });
    this.shiftKey = key("shift", () => { this.shift = !this.shift; this.render(); });
    this.shiftKey.classList.add("key-wide");
    this.backKey = key("backspace", () => this.backspace());
    this.backKey.classList.add("key-wide");
    this.modeKey = key("mode", () => { this.mode = this.mode === "ko" ? "en" : "ko"; this.shift = false; this.render(); });
    this.modeKey.classList.add("key-wide");
    this.spaceKey = key("space", () => this.type(" "));
    this.spaceKey.classList.add("key-space");
    this.sendKey = key("send", () => this.send());
    this.sendKey.classList.add("key-wide", "key-send");
    this.panel.replaceChildren(
      row(...[...DIGITS].map((d) => { const b = key(d, () => this.type(d)); b.textContent = d; return b; })),
      row(this.letterRows[0]),
      row(this.letterRows[1]),
      row(this.shiftKey, this.letterRows[2], this.backKey),
      row(this.modeKey, this.spaceKey, this.sendKey),
    );
    this.render();
  }

  render() {
    const w = this.words;
    this.panel.setAttribute("aria-label", w.group);
    LAYOUTS[this.mode].forEach((letters, i) => {
      const div = this.letterRows[i];
      div.lang = this.mode;
      div.replaceChildren(...[...letters].map((base) => {
        const ch = this.shifted(base);
        const button = document.createElement("button");
        button.type = "button";
        button.className = "key";
        button.dataset.key = ch;
        button.textContent = ch;
        button.addEventListener("click", () => this.type(button.dataset.key));
        return button;
      }));
    });
    this.shiftKey.textContent = "⇧";
    this.shiftKey.setAttribute("aria-label", w.shift);
    this.shiftKey.setAttribute("aria-pressed", String(this.shift));
    this.backKey.textContent = "⌫";
    this.backKey.setAttribute("aria-label", w.backspace);
    this.spaceKey.textContent = w.space;
    this.modeKey.textContent = this.mode === "ko" ? "ABC" : "한글";
    this.modeKey.setAttribute("aria-label", this.mode === "ko" ? w.toEnglish : w.toKorean);
    this.sendKey.textContent = this.sendLabel();
  }

  shifted(base) {
    if (!this.shift) return base;
    return this.mode === "ko" ? KO_SHIFT[base] || base : base.toUpperCase();
  }

  /** Start over from what the box holds when something else changed it. */
  sync() {
    if (this.input.value !== this.written) {
      this.prefix = this.input.value;
      this.jamo = [];
    }
  }

  write() {
    const text = (this.prefix + assemble(this.jamo)).slice(0, this.input.maxLength > 0 ? this.input.maxLength : undefined);
    this.input.value = text;
    this.written = text;
    this.input.scrollLeft = this.input.scrollWidth;  // the end, where the keys type, stays in view
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /** One character: a jamo joins the word being composed, anything else ends it. */
  type(ch) {
    this.sync();
    if (isJamo(ch)) {
      this.jamo.push(ch);
    } else {
      this.prefix += assemble(this.jamo) + ch;
      this.jamo = [];
    }
    if (this.shift) {
      this.shift = false;  // shift holds for one key, as on a phone
      this.render();
    }
    this.write();
  }

  /** Backspace takes back the last jamo of the word being composed (김 -> 기), else a character. */
  backspace() {
    this.sync();
    if (this.jamo.length) this.jamo.pop();
    else this.prefix = Array.from(this.prefix).slice(0, -1).join("");
    this.write();
  }

  send() {
    this.sync();
    this.prefix += assemble(this.jamo);
    this.jamo = [];
    this.onSend();
    this.sync();
  }
}
