"""The keys that make spellings meet (hodie/search/spelling.py), without a database. Expected keys
are written by hand; each group also has a spelling that must stay apart, so the rules can fail."""

from __future__ import annotations

import pytest

from hodie.search.spelling import fold, keys, romanisations, stem


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Чайковский", "Tchaikovsky", "Chaykovskiy", "Čajkovskij", "Chajkovskij", "Chaĭkovskiĭ", "Tschaikowsky"],
         "chaikovski"),
        (["Хрущёв", "Хрущев", "ХРУЩЁВ", "Khrushchev", "Khrushchyov", "Hruŝev", "Xruščev", "Hruščëv"], "khrushev"),
        (["Косенко", "Kosenko", "Kossenko", "KOSENKO"], "kosenko"),
        (["Ельцин", "Yeltsin", "Yel'tsin", "Elʹcin", "El`cin", "Elʹt͡sin"], "eltsin"),
        (["Пётр", "Pyotr", "Petr", "Piotr"], "petr"),
        (["Горбачёв", "Gorbachev", "Gorbachov"], "gorbachev"),
    ],
)  # fmt: skip
def test_the_spellings_of_one_name_share_a_key(spellings, key):
    assert [s for s in spellings if key not in keys(s)] == []


@pytest.mark.parametrize(("one", "other"), [("Kosenko", "Kostenko"), ("Чайковский", "Чехов"), ("Petr", "Pavel")])
def test_other_names_keep_other_keys(one, other):
    assert not set(keys(one)) & set(keys(other))


def test_case_endings_meet_the_base_form_through_the_stem():
    assert stem("Чайковского") == stem("Чайковский") == "chaikovsk"
    assert stem("Хрущёва") == keys("Хрущёв")[0] == "khrushev"
    assert stem("Ельцина") == keys("Ельцин")[0]
    assert stem("Косенко") != stem("Костенко")


def test_an_x_is_read_both_ways():
    assert set(keys("Alexei")) == {"aleksei", "alekhei"}
    assert "aleksei" in keys("Алексей") and "khrushev" in keys("Xrushhev")


def test_yo_is_e_and_case_never_matters():
    assert fold("ЁЛКА") == "елка"
    assert keys("ХРУЩЁВ") == keys("хрущев")


def test_romanisations_name_their_scheme_and_skip_latin_names():
    found = dict(romanisations("Хрущёв"))
    assert found["BGN/PCGN"] == "Khrushchev"
    assert found["ISO 9 / GOST 7.79"] == "Hruŝev"
    assert found["GOST 7.79 (B)"] == "Xrushhev"
    assert found["scholarly"] == "Xruščev"
    assert romanisations("Kosenko") == []
    # A scheme that spells the name as an earlier one did is not listed twice.
    assert [label for label, spelled in romanisations("Косенко")] == ["BGN/PCGN"]
