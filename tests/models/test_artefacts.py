"""Artefact helpers: where a fine-tuned embedding model is kept."""

from __future__ import annotations

from assistant.models.artefacts import fine_tuned_folder
from assistant.retrieval.finetune import FineTuneSettings, LabelledQuestion
from assistant.settings import Settings


def test_a_fine_tuned_folder_is_reused_only_for_the_same_labels_and_recipe(settings: Settings) -> None:
    labels = [LabelledQuestion("애기 낳으면 뭐 줘요?", "parental-benefit")]
    folder = fine_tuned_folder(settings, labels, "base", FineTuneSettings())
    assert folder == fine_tuned_folder(settings, list(labels), "base", FineTuneSettings())
    assert folder.parent == settings.model_cache_dir
    # A changed recipe (epochs, mined negatives) must train anew, not reuse the old model.
    assert folder != fine_tuned_folder(settings, labels, "base", FineTuneSettings(epochs=2))
    assert folder != fine_tuned_folder(settings, labels, "base", FineTuneSettings(negatives_per_question=1))
    assert folder != fine_tuned_folder(settings, labels + [LabelledQuestion("여권", "passport")], "base",
                                       FineTuneSettings())
