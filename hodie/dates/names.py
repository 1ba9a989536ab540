"""Month names and era words in English and Russian."""

from __future__ import annotations

EN_MONTHS = ("January February March April May June July August September October November December").split()

RU_MONTHS_GENITIVE = ("января февраля марта апреля мая июня июля августа сентября октября ноября декабря").split()
RU_MONTHS_NOMINATIVE = ("январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь").split()
# Abbreviations as Russian typography (and BSD calendar files) write them: "27 янв.", "2 февр.".
_RU_ABBREVIATIONS = "янв фев февр мар апр мая июн июл авг сен сент окт ноя нояб дек".split()
_RU_ABBREVIATION_MONTHS = (1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 11, 11, 12)


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for number, name in enumerate(EN_MONTHS, start=1):
        lower = name.lower()
        words[lower] = number
        words[lower[:3]] = number
    words["sept"] = 9
    for number, (gen, nom) in enumerate(zip(RU_MONTHS_GENITIVE, RU_MONTHS_NOMINATIVE, strict=True), start=1):
        words[gen] = number
        words[nom] = number
        # Prepositional forms that appear in running text ("в феврале 1939").
        words[nom[:-1] + "е" if nom[-1] in "ьй" else nom + "е"] = number
    for abbr, number in zip(_RU_ABBREVIATIONS, _RU_ABBREVIATION_MONTHS, strict=True):
        words[abbr] = number
    return words


MONTH_WORDS: dict[str, int] = _month_words()

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "M": 1000}


def roman_to_int(text: str) -> int | None:
    """Value of a Roman numeral (century numbers: "XIX"), or None if ``text`` is not one."""
    text = text.upper()
    if not text or any(ch not in ROMAN for ch in text):
        return None
    total = 0
    for index, ch in enumerate(text):
        value = ROMAN[ch]
        if index + 1 < len(text) and ROMAN[text[index + 1]] > value:
            total -= value
        else:
            total += value
    return total


def int_to_roman(number: int) -> str:
    parts = []
    for value, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            parts.append(numeral)
            number -= value
    return "".join(parts)
