// The kiosk's guide character: shows what it says in its speech bubble and, where the platform has a
// voice for the language, says it aloud through speechSynthesis while its mouth moves. The mouth moves
// only while speech actually plays (the utterance's start/end events); the text is always on screen.

export class Guide {
  /**
   * @param {HTMLElement} figure the element holding the SVG character (gets `speaking` while talking)
   * @param {HTMLElement} bubble where the latest words are shown
   */
  constructor(figure, bubble) {
    this.figure = figure;
    this.bubble = bubble;
    this.muted = false;
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    this.voices = [];
    if (this.synth) {
      const load = () => { this.voices = this.synth.getVoices(); };
      load();
      this.synth.addEventListener?.("voiceschanged", load);
    }
  }

  /** The voice for a language, or null where the platform has none. */
  voiceFor(lang) {
    const wanted = lang === "en" ? "en" : "ko";
    return this.voices.find((v) => v.lang.toLowerCase().startsWith(wanted)) || null;
  }

  /** Show `text` in the bubble and speak it when possible. */
  say(text, lang) {
    this.bubble.textContent = text;
    this.bubble.lang = lang;
    this.stop();
    const voice = this.voiceFor(lang);
    if (this.muted || !this.synth || !voice || !text) return;
    const utterance = new SpeechSynthesisUtterance(text.replace(/[\u{1F300}-\u{1FAFF}]/gu, ""));
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.95;  // a little slower: many kiosk users are older or not native speakers
    utterance.addEventListener("start", () => this.figure.classList.add("speaking"));
    const done = () => this.figure.classList.remove("speaking");
    utterance.addEventListener("end", done);
    utterance.addEventListener("error", done);
    this.synth.speak(utterance);
  }

  /** Stop talking now (a new reply, a reset, or the voice switched off). */
  stop() {
    if (this.synth) this.synth.cancel();
    this.figure.classList.remove("speaking");
  }

  setMuted(muted) {
    this.muted = muted;
    if (muted) this.stop();
  }
}
