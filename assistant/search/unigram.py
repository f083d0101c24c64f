"""The model's unigram tokenizer in ~300 MB less memory than ``tokenizers`` needs for it.

``tokenizers`` holds XLM-R's 250k-piece vocabulary in a trie of per-node hash maps: about
290 MB resident, more than the ONNX encoder itself, which broke the 500 MB budget of one
semantic search. This class keeps a plain dict of pieces (~30 MB) and runs the same Viterbi
search as ``tokenizers``' ``Unigram.encode_optimized`` (best score per end position, unknown
characters at ``min_score - 10``, consecutive unknowns fused). Normalisation, Metaspace
pre-tokenisation and the special tokens still come from ``tokenizers`` itself, loaded from
the model's ``tokenizer.json`` without its vocabulary. Tests compare the ids with
``tokenizers`` on the labelled queries, the shipped corpus and odd strings; the model build
checks the whole query path against sentence-transformers before it is ever used.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

UNK_PENALTY = 10.0


SEPARATOR = "\x00"


def write_tokenizer_files(tokenizer_json: Path, dest: Path) -> None:
    """Split the model's ``tokenizer.json`` into what ``UnigramTokenizer`` loads fast and
    small: ``pieces.bin`` (pieces joined by NUL), ``scores.npy`` and ``unigram.json``."""
    import numpy as np

    doc = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = doc["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        raise ValueError("not a unigram tokenizer without byte fallback")
    pieces = [p for p, _ in model["vocab"]]
    if any(SEPARATOR in p for p in pieces):
        raise ValueError("a vocabulary piece contains NUL")
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pieces.bin").write_bytes(SEPARATOR.join(pieces).encode("utf-8"))
    np.save(dest / "scores.npy", np.array([float(s) for _, s in model["vocab"]]))
    specials = {
        t["content"]: {"id": int(t["id"]), "lstrip": bool(t.get("lstrip"))}
        for t in doc.get("added_tokens", [])
    }
    single = doc["post_processor"]["single"]
    ends = [s["SpecialToken"]["id"] for s in single if "SpecialToken" in s]
    # the normaliser and pre-tokenizer of the real tokenizer, over a one-piece vocabulary
    doc["model"] = {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]}
    doc["added_tokens"] = []
    doc["post_processor"] = None
    meta = {
        "unk_id": int(model["unk_id"]),
        "max_piece": max(map(len, pieces)),
        "bos": specials[ends[0]]["id"],
        "eos": specials[ends[-1]]["id"],
        "specials": specials,
        "light": doc,
    }
    (dest / "unigram.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


class UnigramTokenizer:
    """Text → input ids, as the model folder's ``tokenizer.json`` would give them (from the
    files ``write_tokenizer_files`` wrote into ``folder``)."""

    def __init__(self, folder: Path, max_length: int = 512):
        import numpy as np
        from tokenizers import Tokenizer

        meta = json.loads((folder / "unigram.json").read_text(encoding="utf-8"))
        pieces = (folder / "pieces.bin").read_bytes().decode("utf-8").split(SEPARATOR)
        scores = np.load(folder / "scores.npy")
        if len(pieces) != scores.shape[0]:
            raise ValueError("pieces and scores differ in length")
        self.pieces: dict[str, int] = dict(zip(pieces, range(len(pieces)), strict=True))
        self.scores: list[float] = scores.tolist()
        self.unk_id = int(meta["unk_id"])
        self.unk_score = float(scores.min()) - UNK_PENALTY
        self.max_piece = int(meta["max_piece"])
        specials = meta["specials"]
        self.special_ids = {c: int(t["id"]) for c, t in specials.items()}
        self._split = re.compile(
            "|".join(
                (r"\s*" if t["lstrip"] else "") + re.escape(c)
                for c, t in sorted(specials.items(), key=lambda kv: -len(kv[0]))
            )
            or r"(?!)"
        )
        self.bos, self.eos = int(meta["bos"]), int(meta["eos"])
        self.pad = self.special_ids.get("<pad>", 1)
        self.max_length = max_length
        light = Tokenizer.from_str(json.dumps(meta["light"]))
        self.normalizer = light.normalizer
        self.pre_tokenizer = light.pre_tokenizer
        self._word_cache: dict[str, list[int]] = {}

    def encode(self, text: str) -> list[int]:
        """The ids for ``text`` with bos/eos, cut to ``max_length`` as the model's own
        tokenizer cuts (the content, never the closing eos)."""
        ids: list[int] = []
        pos = 0
        for match in self._split.finditer(text):
            if match.start() > pos:
                ids.extend(self._segment(text[pos : match.start()]))
            ids.append(self.special_ids[match.group().lstrip()])
            pos = match.end()
        if pos < len(text):
            ids.extend(self._segment(text[pos:]))
        return [self.bos, *ids[: self.max_length - 2], self.eos]

    def _segment(self, text: str) -> list[int]:
        normal = self.normalizer.normalize_str(text) if self.normalizer else text
        if not normal:
            return []
        out: list[int] = []
        for word, _ in self.pre_tokenizer.pre_tokenize_str(normal):
            cached = self._word_cache.get(word)
            if cached is None:
                cached = self._viterbi(word)
                if len(self._word_cache) < 200_000:
                    self._word_cache[word] = cached
            out.extend(cached)
        return out

    def _viterbi(self, word: str) -> list[int]:
        """Best-scoring split of ``word`` into pieces (``encode_optimized`` in tokenizers)."""
        n = len(word)
        score = [0.0] * (n + 1)
        start: list[int | None] = [None] * (n + 1)
        token = [0] * (n + 1)
        pieces, scores, longest = self.pieces, self.scores, self.max_piece
        for i in range(n):
            here = score[i]
            single = False
            for j in range(i + 1, min(n, i + longest) + 1):
                hit = pieces.get(word[i:j])
                if hit is None:
                    continue
                cand = scores[hit] + here
                if start[j] is None or cand > score[j]:
                    score[j], start[j], token[j] = cand, i, hit
                if j == i + 1:
                    single = True
            if not single:
                cand = self.unk_score + here
                if start[i + 1] is None or cand > score[i + 1]:
                    score[i + 1], start[i + 1], token[i + 1] = cand, i, self.unk_id
        out: list[int] = []
        end = n
        unknown = ""
        while end > 0:
            begin = start[end]
            assert begin is not None
            if token[end] == self.unk_id:
                unknown = word[begin:end] + unknown
            else:
                if unknown:
                    out.append(self._fused(unknown))
                    unknown = ""
                out.append(token[end])
            end = begin
        if unknown:
            out.append(self._fused(unknown))
        out.reverse()
        return out

    def _fused(self, text: str) -> int:
        return self.pieces.get(text, self.unk_id)
