"""MinHash shingles, signatures, LSH candidates and their exact confirmation (ingest/pipeline/minhash.py)."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.pipeline import minhash
from ingest.pipeline.minhash import (
    SHINGLE_CHARS,
    candidate_pairs,
    jaccard,
    near_duplicate_pairs,
    shingle_hashes,
    signatures,
)

ALPHABET = "注意力机制梯度下降优化器学习率权重衰减abcdefxyz0123456789"


def shingle_set(text: str) -> set[str]:
    return {text[i : i + SHINGLE_CHARS] for i in range(max(1, len(text) - SHINGLE_CHARS + 1))}


def exact_jaccard(first: str, second: str) -> float:
    a, b = shingle_set(first), shingle_set(second)
    return len(a & b) / len(a | b)


def random_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_one_hash_per_distinct_shingle(text):
    assert len(shingle_hashes(text)) == len(shingle_set(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab注意𝔸1", min_size=1, max_size=30), st.text(alphabet="ab注意𝔸1", min_size=1, max_size=30))
def test_jaccard_of_the_hashes_is_the_exact_jaccard_of_the_shingles(first, second):
    assert jaccard(shingle_hashes(first), shingle_hashes(second)) == exact_jaccard(first, second)


def test_a_signature_does_not_depend_on_its_batch(monkeypatch):
    rng = random.Random(1)
    texts = [random_text(rng, rng.randint(1, 300)) for _ in range(200)]
    together = signatures(texts)
    monkeypatch.setattr(minhash, "CHUNK_CHARS", 500)  # many small batches
    assert (signatures(texts) == together).all()
    assert (np.vstack([signatures([text]) for text in texts[:20]]) == together[:20]).all()
    assert together.shape == (200, minhash.NUM_PERM) and together.dtype == np.uint32


def edited(rng: random.Random, text: str, changes: int) -> str:
    characters = list(text)
    for position in rng.sample(range(len(characters)), changes):
        characters[position] = rng.choice("ΩΨΦ")
    return "".join(characters)


def test_pairs_above_the_threshold_become_candidates_and_unrelated_texts_do_not():
    """400 near-duplicate pairs (Jaccard 0.88-0.97) and 400 unrelated texts of the same vocabulary."""
    rng = random.Random(7)
    texts, pairs = [], []
    while len(pairs) < 400:
        original = random_text(rng, rng.randint(300, 900))
        copy = edited(rng, original, rng.randint(1, 3))
        similarity = exact_jaccard(original, copy)
        if similarity >= 0.88:
            pairs.append((len(texts), len(texts) + 1))
            texts += [original, copy]
    texts += [random_text(rng, rng.randint(300, 900)) for _ in range(400)]
    found = set(candidate_pairs(signatures(texts)))
    assert all(pair in found for pair in pairs), f"missed {[pair for pair in pairs if pair not in found][:5]}"
    assert len(found - set(pairs)) <= 5, "unrelated texts must rarely meet in a band"


def test_only_pairs_at_or_above_the_threshold_are_confirmed():
    rng = random.Random(3)
    base = random_text(rng, 400)
    # Each edit far from the others removes up to five shingles: walk down through the threshold.
    variants = [base] + [edited(rng, base, changes) for changes in range(1, 12)]
    rows = signatures(variants)
    threshold = 0.85
    confirmed = set(near_duplicate_pairs(variants, rows, threshold))
    for pair in confirmed:
        assert exact_jaccard(variants[pair[0]], variants[pair[1]]) >= threshold
    assert any(exact_jaccard(base, variant) < threshold for variant in variants), "the walk must cross the threshold"
    assert (0, 1) in confirmed


def test_a_pair_already_joined_is_not_compared_again():
    rng = random.Random(5)
    base = random_text(rng, 500)
    texts = [base, edited(rng, base, 1), edited(rng, base, 1)]
    rows = signatures(texts)
    asked = []

    def together(first, second):
        asked.append((first, second))
        return True

    assert list(near_duplicate_pairs(texts, rows, 0.85, together)) == []
    assert asked == candidate_pairs(rows)
