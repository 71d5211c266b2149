// Kiosk idle timeout: after `idleMs` without a touch or key it asks whether to continue; after
// `graceMs` more it gives up so the next person never sees the previous one's conversation.

export class IdleWatch {
  /**
   * @param {{idleMs: number, graceMs: number, onAsk: Function, onExpire: Function, onTick: Function}} options
   *   onTick(secondsLeft) updates the countdown shown with the question.
   */
  constructor({ idleMs, graceMs, onAsk, onExpire, onTick }) {
    Object.assign(this, { idleMs, graceMs, onAsk, onExpire, onTick });
    this.timer = null;
    this.ticker = null;
    this.asking = false;
    for (const type of ["pointerdown", "keydown", "touchstart", "input"]) {
      document.addEventListener(type, () => { if (!this.asking) this.touch(); }, { capture: true, passive: true });
    }
  }

  /** Someone is here: start the idle period again. */
  touch() {
    this.clear();
    this.asking = false;
    this.timer = setTimeout(() => this.ask(), this.idleMs);
  }

  ask() {
    this.asking = true;
    let left = Math.ceil(this.graceMs / 1000);
    this.onAsk(left);
    this.ticker = setInterval(() => { left = Math.max(0, left - 1); this.onTick(left); }, 1000);
    this.timer = setTimeout(() => { this.clear(); this.asking = false; this.onExpire(); }, this.graceMs);
  }

  clear() {
    clearTimeout(this.timer);
    clearInterval(this.ticker);
  }
}

/** Timeouts from the query string (`?idle=60&grace=15`, seconds) or the body's data attributes. */
export function idleSettings(body) {
  const query = new URLSearchParams(location.search);
  const seconds = (name, fallback) => {
    const value = Number(query.get(name) ?? body.dataset[name === "idle" ? "idleSeconds" : "graceSeconds"] ?? fallback);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return { idleMs: seconds("idle", 60) * 1000, graceMs: seconds("grace", 15) * 1000 };
}
