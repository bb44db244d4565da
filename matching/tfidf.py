"""TF-IDF over Snowball stems, computed by scikit-learn: the one weighting the matching steps share.

The skill extractor (:mod:`matching.extract`), the RNCP block matcher (:mod:`matching.training_skills`)
and the title linker (:mod:`matching.training_links`) weight the stems of ROME labels by how rare
they are among the labels. Texts come tokenised by :mod:`matching.text`; scikit-learn's
``TfidfVectorizer`` takes those token lists as they are, over a vocabulary the caller fixes (the
column order of the caller's other matrices), counts a stem once per text (``binary``) and
weights it by the smoothed IDF of the texts it was fitted on, ``ln((1 + n) / (1 + df)) + 1``.
Stems outside the vocabulary carry no weight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


def _as_tokens(tokens: Sequence[str]) -> Sequence[str]:
    """The analyzer: the texts are token lists already (a named function, so the vectorizer pickles)."""
    return tokens


def stem_tfidf(vocabulary: Mapping[str, int], *, norm: Literal["l2"] | None = None) -> TfidfVectorizer:
    """An unfitted TF-IDF over token lists: binary term counts, smoothed IDF, rows L2-normalised
    when ``norm`` is "l2" and left as IDF weights otherwise."""
    return TfidfVectorizer(
        analyzer=_as_tokens,
        vocabulary=vocabulary,
        binary=True,
        norm=norm,
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=False,
        dtype=np.float64,
    )


def fit_stem_tfidf(
    texts: Sequence[Sequence[str]], vocabulary: Mapping[str, int], *, norm: Literal["l2"] | None = None
) -> tuple[TfidfVectorizer, sparse.csr_matrix]:
    """The vectorizer fitted on ``texts`` (token lists) and their text x stem TF-IDF matrix."""
    vectorizer = stem_tfidf(vocabulary, norm=norm)
    return vectorizer, sparse.csr_matrix(vectorizer.fit_transform(texts))
