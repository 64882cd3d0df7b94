"""The edition each release is, the period it is valid for, and whether a newer one has taken effect.

ICD-10-CM and ICD-10-PCS editions are fiscal years: FY2026 is valid for discharges and
services from 1 October 2025 to 30 September 2026, and FY2027 replaces it on 1 October
2026. A site built after its edition's period has ended says so on every page (the
build date decides), so nobody mistakes last year's codes for this year's.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .codes import SYSTEMS

#: Systems whose editions are fiscal years (October to September).
FISCAL_SYSTEMS = ("icd10cm", "icd10pcs")


@dataclass(frozen=True)
class Edition:
    system: str
    #: ``FY2026``.
    label: str
    start: datetime.date
    end: datetime.date

    @property
    def next_label(self) -> str:
        return f"FY{self.end.year + 1}"

    def stale_on(self, day: datetime.date) -> bool:
        """Whether a newer edition has taken effect by ``day``."""
        return day > self.end

    def statement(self, day: datetime.date) -> str:
        """What every page of the system says of its edition when built on ``day``."""
        name = SYSTEMS[self.system].name
        # A code added by a mid-year update (1 April) is valid from that update, not from 1 October.
        period = f"{_day(self.start)} (a code added by a mid-year update: from that update) to {_day(self.end)}"
        if self.stale_on(day):
            return (f"{name} {self.label} was valid for discharges and services from {period}. {self.next_label} took "
                    f"effect on {_day(self.end + datetime.timedelta(days=1))} and is not in this build yet: its new, "
                    "deleted and retitled codes are not shown.")
        return f"{name} {self.label}: valid for discharges and services from {period}."


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def fiscal_edition(system: str, release_label: str) -> Edition | None:
    """The edition of a fiscal-year release from its label (``FY2026 (April 1, 2026 update)``), or None."""
    match = re.search(r"FY ?(\d{4})", release_label)
    if system not in FISCAL_SYSTEMS or not match:
        return None
    year = int(match.group(1))
    return Edition(system, f"FY{year}", datetime.date(year - 1, 10, 1), datetime.date(year, 9, 30))


def css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def edition_stylesheet(editions: list[Edition], day: datetime.date) -> str:
    """CSS that prints each edition's statement after the source line of its system's code pages.

    Printed by the stylesheet, as the draft notice is: the sentence is the same on ~180,000
    pages, so each carries only a class (``omc-edition-icd10cm``), not ~200 bytes of text.
    """
    return "".join(f"\n.md-typeset .omc-edition-{edition.system}::after {{ content: {css_string(' ' + edition.statement(day))}; "
                   "display: block; margin-top: .4rem; }"
                   + (f"\n.md-typeset .omc-edition-{edition.system}::after {{ color: var(--md-typeset-a-color); font-weight: 700; }}"
                      if edition.stale_on(day) else "")
                   for edition in editions)
