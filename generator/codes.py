"""Code systems, code normal forms and code ranges.

A code is identified by ``(system, code)``. Each system has one normal form for
its codes (CPT ``96417``, ICD-10-CM ``E11.65``, ICD-10-PCS ``0DTJ4ZZ``, HCPCS
``J9035``); every other spelling a person may type is mapped onto it here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeSystem:
    """One code set: its key (folder and URL segment), names and code format."""

    key: str
    name: str
    long_name: str
    pattern: re.Pattern[str]
    example: str
    description: str
    #: Keys of code groups a record may describe besides single codes (ICD-10-PCS tables), if any.
    group_pattern: re.Pattern[str] | None = None
    #: What a policy may name as a group of codes (a prefix holds every code it begins), besides codes.
    prefix_pattern: re.Pattern[str] | None = None


#: The HCPCS group key that stands for every modifier (one record describes them all; a policy may name it).
HCPCS_MODIFIERS = "modifiers"


def modifier_key(modifier: str) -> str:
    """The page key of a HCPCS modifier: ``modifier-GY`` (modifiers share the HCPCS folder with codes)."""
    return f"modifier-{modifier}"


SYSTEMS: dict[str, CodeSystem] = {
    system.key: system
    for system in (
        CodeSystem(
            key="cpt",
            name="CPT",
            long_name="Current Procedural Terminology",
            pattern=re.compile(r"\d{4}[0-9FTU]"),
            example="96417",
            description=(
                "Five-character codes for the services and procedures that doctors and other "
                "clinicians perform and bill, maintained by the American Medical Association."
            ),
        ),
        CodeSystem(
            key="icd10cm",
            name="ICD-10-CM",
            long_name="International Classification of Diseases, 10th Revision, Clinical Modification",
            pattern=re.compile(r"[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?"),
            example="E11.65",
            # A category or subcategory is already a code; a policy may also name a letter ("C").
            prefix_pattern=re.compile(r"[A-Z][0-9A-Z]{0,2}"),
            description=(
                "Diagnosis codes: the conditions, injuries and reasons for a visit, used on "
                "every US medical claim and record. Published by the CDC."
            ),
        ),
        CodeSystem(
            key="icd10pcs",
            name="ICD-10-PCS",
            long_name="International Classification of Diseases, 10th Revision, Procedure Coding System",
            pattern=re.compile(r"[0-9A-HJ-NP-Z]{7}"),
            example="0DTJ4ZZ",
            # A table (its first three characters) or a table and body part (four).
            group_pattern=re.compile(r"[0-9A-HJ-NP-Z]{3,4}"),
            # A section ("0"), body system ("0D"), table ("0DT") or any longer prefix.
            prefix_pattern=re.compile(r"[0-9A-HJ-NP-Z]{1,6}"),
            description=(
                "Seven-character codes for procedures done to hospital inpatients, built from a "
                "table of body systems, operations and approaches. Published by CMS."
            ),
        ),
        CodeSystem(
            key="hcpcs",
            name="HCPCS Level II",
            long_name="Healthcare Common Procedure Coding System, Level II",
            pattern=re.compile(r"[A-Z]\d{4}"),
            example="J9035",
            # One record describes all modifiers (content/hcpcs/modifiers.yaml): every modifier page shows it.
            group_pattern=re.compile(HCPCS_MODIFIERS),
            # A letter's codes ("J": drugs) or any shorter stem ("E06").
            prefix_pattern=re.compile(r"[A-Z]\d{0,3}"),
            description=(
                "Codes for drugs, supplies, equipment, ambulance rides and services that CPT "
                "does not cover. Published by CMS."
            ),
        ),
    )
}


def normalise_code(system: str, text: str) -> str:
    """Return the normal form of ``text`` as a code of ``system``.

    Accepts surrounding spaces, lower case and, for ICD-10-CM, a missing dot
    (``e1165`` → ``E11.65``). Does not check that the result is well formed; use
    :func:`is_well_formed` for that.
    """
    code = text.strip().upper()
    if system == "icd10cm":
        bare = code.replace(".", "")
        code = bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"
    return code


def is_well_formed(system: str, code: str) -> bool:
    """Whether ``code`` (already in normal form) has the shape of a ``system`` code."""
    return SYSTEMS[system].pattern.fullmatch(code) is not None


def is_group_key(system: str, key: str) -> bool:
    """Whether ``key`` names a group of ``system`` codes a record may describe (``"0DT"``, ``"0DTJ"``)."""
    pattern = SYSTEMS[system].group_pattern
    return pattern is not None and pattern.fullmatch(key) is not None


def sort_key(code: str) -> str:
    """Key that orders codes of one system as the code books do."""
    return code.replace(".", "")


_CPT_SHAPE = re.compile(r"\d{4}[0-9FTUM]")


def cpt_kind(key: str) -> str:
    """``"0"`` for a CPT Category I number, else its letter (F, T, U, M)."""
    return "0" if key[-1:].isdigit() else key[-1:]


@dataclass(frozen=True)
class CodeRange:
    """An inclusive range of codes of one system, such as ``96401-96549``.

    Membership compares codes without dots, character by character, so a range
    like ``E08-E13`` holds ``E11.65`` (every code whose first three characters
    fall between the bounds).
    """

    first: str
    last: str

    @property
    def label(self) -> str:
        """``96401–96549``; a range of one code is that code."""
        return self.first if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def kind(self) -> str:
        """Which code set of one system the range's codes belong to: ``""`` except for CPT's F, T and U
        codes (``"F"``, …), which sort among the numbers but are sets of their own."""
        first = sort_key(self.first)
        return cpt_kind(first) if _CPT_SHAPE.fullmatch(first) and _CPT_SHAPE.fullmatch(sort_key(self.last)) else ""

    @property
    def width(self) -> int:
        """How many code keys the range spans, comparing codes as base-36 numbers (the narrower, the smaller)."""
        return int(sort_key(self.last), 36) - int(sort_key(self.first), 36)

    @property
    def slug(self) -> str:
        return f"{self.first}-{self.last}"

    def __contains__(self, code: str) -> bool:
        key = sort_key(code)
        first, last = sort_key(self.first), sort_key(self.last)
        if self.kind and cpt_kind(key) != self.kind:
            # CPT's F, T and U codes sort among the numbers ("0100F" between "01000" and "01999") but are
            # separate code sets: a range holds only codes of its own kind.
            return False
        return first <= key[: len(first)] and key[: len(last)] <= last


def stretch(span: CodeRange, keys: Sequence[str]) -> tuple[int, int]:
    """Where ``span``'s codes lie in ``keys`` (sort keys in code order): the slice ``keys[start:end]``.

    Membership is by prefix, so a range's codes lie in one stretch of code order. CPT's F, T
    and U codes sort among the numbers, so a CPT stretch may hold codes of another kind: test
    each with ``in`` when that matters.
    """
    last = sort_key(span.last)
    # Every key that begins with ``last`` sorts before ``last`` followed by a character above all code characters.
    return bisect.bisect_left(keys, sort_key(span.first)), bisect.bisect_left(keys, last + "\x7f")


def scope_stretch(system: str, scope: CodeRange, keys: Sequence[str]) -> tuple[int, int]:
    """Where a policy scope's code pages lie in ``keys`` (sort keys of a system's page keys, in code order)."""
    if system == "hcpcs" and scope.first == HCPCS_MODIFIERS:
        # Modifier pages (``modifier-GY``) sort after every code: their stretch is the keys' end.
        return bisect.bisect_left(keys, modifier_key("")), len(keys)
    return stretch(scope, keys)


class RangeError(ValueError):
    """A range or code reference that cannot be parsed; the message says why."""


def _range_ends(system: str, text: object, what: str, prefixes: bool) -> list[str]:
    """The one or two ends of ``"FIRST-LAST"`` (or of a single code), normalised and checked: each a code of
    ``system`` or, with ``prefixes``, a code prefix; FIRST not after LAST. ``what`` names the expected value."""
    if not isinstance(text, str):
        raise RangeError(f"expected {what} as a string, got {text!r}")
    parts = text.split("-")
    if len(parts) > 2:
        raise RangeError(f"malformed range {text!r}: expected 'FIRST-LAST'")
    info = SYSTEMS[system]
    prefix = info.prefix_pattern if prefixes else None
    codes = [normalise_code(system, part) for part in parts]
    for part, code in zip(parts, codes):
        if not (is_well_formed(system, code) or (prefix and prefix.fullmatch(code))):
            shapes = f"a {info.name} code (e.g. {info.example})" + (" or a code prefix" if prefix else "")
            raise RangeError(f"malformed code {part.strip()!r} in {text!r}: not {shapes}")
    if sort_key(codes[0]) > sort_key(codes[-1]):
        raise RangeError(f"malformed range {text!r}: {codes[0]} comes after {codes[-1]}")
    return codes


def parse_code_or_range(system: str, text: str) -> str | CodeRange:
    """Parse ``"96417"`` into a code or ``"96401-96549"`` into a :class:`CodeRange`.

    Raises :class:`RangeError` with a message suitable for the user.
    """
    codes = _range_ends(system, text, "a code or range", prefixes=False)
    return codes[0] if len(codes) == 1 else CodeRange(*codes)


def parse_scope(system: str, text: str) -> CodeRange:
    """Parse what a policy covers: a code, a prefix (``"E11"``, ``"0DT"``, ``"J"``) or a range of either;
    for HCPCS also ``"modifiers"``, every modifier.

    A single code or prefix becomes a range of itself: ranges compare by prefix, so
    ``E11`` holds ``E11.65`` and ``0-0`` holds every ICD-10-PCS code of section 0.
    Raises :class:`RangeError` with a message suitable for the user.
    """
    if system == "hcpcs" and text == HCPCS_MODIFIERS:
        return CodeRange(text, text)  # every modifier (see relations.PolicyReach)
    codes = _range_ends(system, text, "a code, prefix or range", prefixes=True)
    first, last = codes[0], codes[-1]
    if system == "cpt" and cpt_kind(first) != cpt_kind(last):
        raise RangeError(f"malformed range {text!r}: {first} and {last} are codes of different CPT sets "
                         "(Category I numbers, or F, T or U codes): name each set's range")
    return CodeRange(first, last)
