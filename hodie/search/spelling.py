"""Spellings of a name, and the keys that make them meet: pure Python, no Django.

A name is stored in Cyrillic or in one of half a dozen Latin spellings (Чайковский, Chaykovskiy,
Čajkovskij, Tchaikovsky). Two things are derived from each word of it:

* the **key**: the word folded (case, ё = е, diacritics, apostrophes), put into Latin letters and
  reduced to a *skeleton* in which the common romanisations of one Cyrillic letter coincide
  (ч = ch = č = tch, х = kh = h = x, щ = shch = šč = ŝ = shh, й = y = j = ĭ, doubled letters once);
* the **stem**: the same for the word with its case ending taken off (Snowball's Russian or English
  stemmer), so that Хрущёва and Чайковского meet Хрущёв and Чайковский.

Both are plain lowercase ASCII, so that SQLite and PostgreSQL compare them the same way (equality
and ranges), with no engine's full-text machinery in between.

Libraries: ``iuliia`` transliterates Cyrillic under the named schemes (BGN/PCGN, GOST 7.79 = ISO 9,
ALA-LC, the scholarly system, Wikipedia's popular one), each checked against its standard's tables
by its authors, which we neither could nor should re-type; it is also small and pure Python.
``snowballstemmer`` gives the Russian and English Snowball stemmers, pure Python and dictionary
free (pymorphy3 lemmatises better but needs a 15 MB dictionary and guesses unknown surnames anyway).
No library turns the *different* romanisations of one name into one form: the skeleton rules below
are ours, and say which letters they join.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia
import snowballstemmer

# The schemes whose spellings are stored as a name's derived aliases, with the label a reader sees.
SCHEMES: tuple[tuple[str, iuliia.Schema], ...] = (
    ("BGN/PCGN", iuliia.BGN_PCGN),
    ("ISO 9 / GOST 7.79", iuliia.GOST_779),
    ("GOST 7.79 (B)", iuliia.GOST_779_ALT),
    ("Library of Congress", iuliia.ALA_LC),
    ("scholarly", iuliia.SCIENTIFIC),
    ("popular", iuliia.WIKIPEDIA),
)
KEY_SCHEME = iuliia.BGN_PCGN  # the one a Cyrillic word's key is made through

_WORD = re.compile(r"[^\W\d_]+(?:['’ʹʺ`][^\W\d_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Letters whose romanisations carry a diacritic or a sign that decomposition would lose.
_LETTERS = {
    "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ĉ": "ch", "ǆ": "dzh", "û": "yu", "â": "ya",
    "ë": "e", "ė": "e", "è": "e", "é": "e", "ĭ": "y", "ï": "i", "ß": "ss", "ʹ": "", "ʺ": "", "’": "", "'": "",
    "`": "", "\u0361": "",
}  # fmt: skip
# The skeleton, in order: longer spellings first, each joined to one placeholder (upper case, so
# that no later rule rewrites it), then spelled out in lower case at the end.
_RULES: tuple[tuple[str, str], ...] = (
    (r"shch|shh", "S"),  # щ (šč and ŝ are spelled shch above)
    (r"tsch|tch", "C"),  # ч: the French (Tch) and German (Tsch) spellings
    (r"sch|sh", "S"),  # ш (German sch), joined with щ, which readers mix up (Khrushchev, Khrushev)
    (r"ch", "C"),  # ч
    (r"zh", "Z"),  # ж
    (r"kh|h", "H"),  # х
    (r"ts|tz|cz|c", "T"),  # ц (the scholarly and ISO c)
    (r"w", "v"),
    (r"[jy]", "i"),  # й, ы, and the y/j/i of я, ю, ё, е
    (r"(?<=[SZCT])o", "e"),  # ё after ш, щ, ж, ч, ц is written o (Gorbachov = Gorbachev)
    (r"io", "e"),  # ё = е: Pyotr, Fyodor, Khrushchyov
    (r"ie", "e"),  # е written ye, ie: Yeltsin = Eltsin
    (r"(.)\1+", r"\1"),  # doubled letters once: Kossenko, -skii
)
_SPELLED = {"S": "sh", "C": "ch", "Z": "zh", "H": "kh", "T": "ts"}
_STEMMERS = {"ru": snowballstemmer.stemmer("russian"), "en": snowballstemmer.stemmer("english")}


def words(text: str) -> list[str]:
    """The words of ``text`` as written (apostrophes inside a word kept: Yel'tsin)."""
    return _WORD.findall(text or "")


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def fold(word: str) -> str:
    """Lower case, ё as е: the form two spellings are compared in when they are the same script."""
    return word.lower().replace("ё", "е")


def _latin(word: str) -> str:
    """Plain lowercase ASCII letters: Cyrillic through BGN/PCGN, diacritics spelled or dropped."""
    word = fold(word)
    if is_cyrillic(word):
        word = KEY_SCHEME.translate(word).lower()
    out = []
    for char in word:
        if char in _LETTERS:
            out.append(_LETTERS[char])
            continue
        base = unicodedata.normalize("NFKD", char)
        out.append("".join(c for c in base if "a" <= c <= "z"))
    return "".join(out)


def _skeleton(latin: str) -> str:
    for pattern, replacement in _RULES:
        latin = re.sub(pattern, replacement, latin)
    return "".join(_SPELLED.get(c, c) for c in latin)


@lru_cache(maxsize=65536)
def keys(word: str) -> tuple[str, ...]:
    """The word's keys: one, or two for a Latin word with an x, which is кс in English (Alexei)
    and х in GOST 7.79 and the scholarly system (Xrushhev)."""
    latin = _latin(word)
    if "x" not in latin or is_cyrillic(word):
        return (_skeleton(latin),)
    return _skeleton(latin.replace("x", "ks")), _skeleton(latin.replace("x", "kh"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The key of the word without its ending (Russian Snowball for Cyrillic, English otherwise)."""
    folded = fold(word)
    if is_cyrillic(folded):
        return keys(_STEMMERS["ru"].stemWord(folded))[0]
    return keys(_STEMMERS["en"].stemWord(_latin(folded).replace("x", "ks")))[0]


def romanisations(name: str) -> list[tuple[str, str]]:
    """(scheme label, spelling) for each named scheme that spells a Cyrillic ``name`` its own way;
    nothing for a name without Cyrillic letters. ё is read as е first: the schemes that have no
    rule for it would otherwise leave it in Cyrillic."""
    if not is_cyrillic(name):
        return []
    plain = name.replace("ё", "е").replace("Ё", "Е")
    seen: dict[str, str] = {}
    for label, schema in SCHEMES:
        spelled = unicodedata.normalize("NFC", schema.translate(plain))
        seen.setdefault(spelled, label)
    return [(label, spelled) for spelled, label in seen.items() if spelled != name]
