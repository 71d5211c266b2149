"""Training time of the Rasa model (NLU + dialogue) with the real `rasa train`, from scratch: forced,
and with an empty graph cache so no component is reused."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def run(models_dir: Path) -> dict[str, Any]:
    """Train into `models_dir` (forced, empty cache, so nothing is reused) and report the wall time."""
    from assistant.rasa_runtime.training import train
    from assistant.settings import get_settings

    settings = get_settings().model_copy(update={"models_dir": models_dir})
    started = time.perf_counter()
    result = train(settings, force=True, cache_dir=models_dir / "rasa-cache")
    return {"rasa_train_s": round(time.perf_counter() - started, 1), "model": result.model_path.name}
