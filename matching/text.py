"""French text normalisation for skill matching: case, elisions, accents, stop words, stems.

The unit of matching is the *stem*: a token lowercased, accent-folded, then stemmed with the
Snowball French stemmer. Folding first makes matching indifferent to accents that offers often
drop ("securite" and "sécurité" give the same stem); "Bases de données" and "base de donnée" both
become ``bas donne``. Labels and offers go through the same function, which is all matching needs.

Sentence breaks (a newline, or ``.;!?`` followed by a space) are kept as a break marker in the token
stream so that a label never matches across two sentences, and so that the sentence index of a
token is the index of the matching piece of :func:`split_sentences`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# A word token keeps a trailing apostrophe (any of its typographic forms), so that elisions (l',
# d', qu', jusqu'...) are recognised as tokens of their own and dropped, while a lone letter that
# is not elided (permis B, langage C) stays a token.
_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"
ELISIONS: frozenset[str] = frozenset("c d j l m n s t qu jusqu lorsqu puisqu quoiqu presqu".split())

_BREAK_PATTERN = r"\n|[.;!?](?=\s|$)"
_WORD_PATTERN = f"[0-9a-zà-öø-ÿœæ]+[+#]*[{_APOSTROPHES}]?"
# A token is a word or a sentence break; a break character is never part of a word, so the n-th
# break of the token stream is the n-th split point of split_sentences.
_TOKEN = re.compile(f"{_BREAK_PATTERN}|{_WORD_PATTERN}")
_TOKEN_ANY_CASE = re.compile(f"{_BREAK_PATTERN}|{_WORD_PATTERN}", re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(_BREAK_PATTERN)
BREAK = "\n"

STOP_WORDS: frozenset[str] = frozenset(
    """
    a au aux avec ce ces cet cette chez comme dans de des du elle elles en entre et etc
    etre eux il ils je la le les leur leurs lui ma mais me mes moi mon ne nos notre nous on ou
    par pas pour qu que qui quoi sa sans se ses si son sont sur ta te tes toi ton tu un une vos
    votre vous y est sera ont dont ou afin ainsi aussi tres tout tous toute toutes selon lors
    via h f hf etes avez avons ai as va vont peut
    """.split()
)

_STEMMER = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lowercase and strip accents (é -> e, œ -> oe); other characters unchanged."""
    lowered = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def raw_tokens(text: str) -> list[str]:
    """Lowercased words (accents kept, elisions with their apostrophe) and break markers."""
    return _TOKEN.findall(text.lower())


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in ``text`` itself of each token :func:`raw_tokens` returns, in order.

    Lowercasing keeps offsets for French text; for the rare character whose lowercase form is
    longer ("İ"), the tokens are found case-insensitively in the original text instead.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return [match.span() for match in _TOKEN.finditer(lowered)]
    return [match.span() for match in _TOKEN_ANY_CASE.finditer(text)]


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The folded Snowball stem of one lowercased token; '' for a stop word."""
    if token == BREAK or token in ".;!?":
        return BREAK
    if token[-1] in _APOSTROPHES:
        token = token[:-1]
        if token in ELISIONS:
            return ""
    folded = fold(token)
    if folded in STOP_WORDS:
        return ""
    # Digits and short acronyms are kept as they are: stemming "b" or "3d" means nothing.
    if len(folded) <= 3 or not folded.isalpha():
        return folded
    return _STEMMER.stemWord(folded)


def stems(text: str, *, keep_breaks: bool = False) -> list[str]:
    """The stems of a text, stop words dropped; sentence breaks as ``BREAK`` if ``keep_breaks``."""
    out = [stem(token) for token in raw_tokens(text)]
    if keep_breaks:
        return [s for s in out if s]
    return [s for s in out if s and s != BREAK]


def normalise(text: str) -> str:
    """The stems of a text joined by single spaces: the comparable form of a label."""
    return " ".join(stems(text))


def split_sentences(text: str) -> list[str]:
    """Pieces of text between sentence breaks; piece n holds the tokens after the n-th break."""
    return _SENTENCE_SPLIT.split(text)
