"""Declared schemas of the content records: every field's type, whether it is required, and its meaning.

This module is the single source of truth for the record formats. The reference
page ``content/SCHEMA.md`` is generated from it (``python -m generator schema-doc``)
and a test keeps the two in step. Checking a value against its field gives a list
of :class:`~generator.errors.Problem`; cross-record checks (unknown codes,
duplicates) live in :mod:`generator.validate`.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from typing import Any

from .codes import SYSTEMS, RangeError, is_group_key, is_well_formed, normalise_code, parse_code_or_range, parse_scope
from .errors import Problem
from .yaml_source import LinedDict, LinedList


@dataclass(frozen=True)
class Where:
    """The file, line and field path of a value being checked."""

    path: str
    line: int
    field: str

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, self.field, message)

    def item(self, container: LinedList, index: int) -> "Where":
        return Where(self.path, container.lines[index], f"{self.field}[{index}]")

    def key(self, container: LinedDict, key: str) -> "Where":
        prefix = f"{self.field}." if self.field else ""
        return Where(self.path, container.lines.get(key, container.line), f"{prefix}{key}")


class FieldType:
    """A kind of value. ``check`` returns problems; ``describe`` is shown in the reference page."""

    describe = ""

    def check(self, value: Any, where: Where, context: "CheckContext") -> list[Problem]:
        raise NotImplementedError


@dataclass(frozen=True)
class CheckContext:
    """What a field check may need to know about the record it sits in."""

    system: str


#: How a YAML value's type is named in messages, in the words of someone writing a record.
TYPE_WORDS = {
    "str": "text", "int": "a number", "float": "a number", "bool": "true or false",
    "LinedDict": "a mapping", "dict": "a mapping", "LinedList": "a list", "list": "a list",
    "date": "a date", "datetime": "a date and time", "NoneType": "nothing",
}
#: Values quoted in messages are cut to this many characters.
EXCERPT_LIMIT = 60
#: Longest text of a one-line field (names), in characters.
NAME_LIMIT = 200
#: Longest text of a section or list item, in characters.
TEXT_LIMIT = 2_000


def excerpt(value: Any) -> str:
    """``repr`` of a value, cut to a short excerpt so a huge value cannot flood the messages."""
    shown = repr(value)
    return shown if len(shown) <= EXCERPT_LIMIT else shown[: EXCERPT_LIMIT - 1] + "…"


def type_words(value: Any) -> str:
    return TYPE_WORDS.get(type(value).__name__, type(value).__name__)


def _type_problem(where: Where, expected: str, value: Any) -> list[Problem]:
    return [where.problem(f"expected {expected}, got {type_words(value)} {excerpt(value)}")]


@dataclass(frozen=True)
class Text(FieldType):
    max_length: int = TEXT_LIMIT

    @property
    def describe(self) -> str:  # type: ignore[override]
        return "text"

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if not isinstance(value, str):
            return _type_problem(where, "text", value)
        if not value.strip():
            return [where.problem("must not be empty")]
        if len(value) > self.max_length:
            return [where.problem(f"is {len(value):,} characters long; at most {self.max_length:,} are allowed")]
        return []


class Boolean(FieldType):
    describe = "true or false"

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        return [] if isinstance(value, bool) else _type_problem(where, "true or false", value)


class Date(FieldType):
    describe = "date (YYYY-MM-DD)"

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return []
        return _type_problem(where, "a date written YYYY-MM-DD", value)


@dataclass(frozen=True)
class Choice(FieldType):
    choices: tuple[str, ...]

    @property
    def describe(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(f"`{choice}`" for choice in self.choices)

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if value not in self.choices:
            return [where.problem(f"{excerpt(value)} is not one of {', '.join(self.choices)}")]
        return []


@dataclass(frozen=True)
class Pattern(FieldType):
    regex: str
    meaning: str

    @property
    def describe(self) -> str:  # type: ignore[override]
        return self.meaning

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if not isinstance(value, str):
            return _type_problem(where, self.meaning, value)
        if not re.fullmatch(self.regex, value):
            return [where.problem(f"{excerpt(value)} is not {self.meaning}")]
        return []


class Code(FieldType):
    """A code of the record's own system, written in its normal form."""

    describe = "code (a quoted string in the system's normal form, e.g. `\"96417\"`)"

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if not isinstance(value, str):
            return _type_problem(where, "a code as a quoted string", value)
        normal = normalise_code(context.system, value)
        if not is_well_formed(context.system, normal):
            example = SYSTEMS[context.system].example
            return [where.problem(f"{excerpt(value)} is not a {SYSTEMS[context.system].name} code (e.g. {example!r})")]
        if normal != value:
            return [where.problem(f"write the code as {normal!r}, not {excerpt(value)}")]
        return []


class RecordKey(Code):
    """The code a record describes: a code of its system, or a group of codes the system allows records for."""

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if isinstance(value, str) and is_group_key(context.system, value):
            return []
        return super().check(value, where, context)


class CodeOrRange(FieldType):
    describe = "code or range `FIRST-LAST`"
    #: The parser whose error makes the problem.
    parse = staticmethod(parse_code_or_range)

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        try:
            self.parse(context.system, value)
        except RangeError as error:
            return [where.problem(str(error))]
        return []


class CodeScope(CodeOrRange):
    describe = "code, code prefix or range `FIRST-LAST`"
    parse = staticmethod(parse_scope)


@dataclass(frozen=True)
class ListOf(FieldType):
    item: FieldType
    min_items: int = 1

    @property
    def describe(self) -> str:  # type: ignore[override]
        return f"list of {self.item.describe}"

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if not isinstance(value, list):
            return _type_problem(where, f"a list of {self.item.describe}", value)
        if len(value) < self.min_items:
            return [where.problem(f"needs at least {self.min_items} item(s)")]
        problems: list[Problem] = []
        for index, item in enumerate(value):
            problems += self.item.check(item, where.item(value, index), context)
        return problems


@dataclass(frozen=True)
class Field:
    """One declared field of a record."""

    name: str
    type: FieldType
    doc: str
    required: bool = False
    #: Heading of the page section that shows this field, for the plain-language sections.
    section: str | None = None
    #: Codes inside this field belong to this system rather than the record's own.
    system: str | None = None


@dataclass(frozen=True)
class Schema(FieldType):
    """A mapping with declared fields; unknown keys are errors."""

    title: str
    fields: tuple[Field, ...]

    @property
    def describe(self) -> str:  # type: ignore[override]
        return f"mapping ({self.title})"

    def by_name(self) -> dict[str, Field]:
        return {declared.name: declared for declared in self.fields}

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if not isinstance(value, dict):
            return _type_problem(where, f"a mapping of {self.title}", value)
        assert isinstance(value, LinedDict)
        declared = self.by_name()
        problems: list[Problem] = []
        for key in value:
            if key not in declared:
                close = difflib.get_close_matches(str(key), list(declared), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                problems.append(where.key(value, str(key)).problem(
                    f"unknown key; {hint}(the fields of {self.title}: content/SCHEMA.md)"))
        for name, spec in declared.items():
            if name not in value or value[name] is None:
                if spec.required:
                    # An empty "name:" has a line of its own; an absent key is reported at the mapping.
                    line = value.lines.get(name, value.line)
                    line_where = Where(where.path, line, f"{where.field}.{name}" if where.field else name)
                    problems.append(line_where.problem("missing required field"))
                continue
            field_context = CheckContext(spec.system) if spec.system else context
            problems += spec.type.check(value[name], where.key(value, name), field_context)
        return problems


# --- The record formats -------------------------------------------------------------------

SIMILAR_ITEM = Schema(
    "a similar code",
    (
        Field("code", Code(), "The related code; it must exist.", required=True),
        Field("reason", Text(), "One line on how it relates to this code."),
    ),
)

EQUIVALENT_ITEM = Schema(
    "a code of another system",
    (
        Field("system", Choice(tuple(SYSTEMS)), "Its code system.", required=True),
        Field("code", Pattern(r"[0-9A-Z.]{3,8}", "a code in its normal form"), "The code (or ICD-10-PCS table); it must exist.",
              required=True),
        Field("reason", Text(max_length=NAME_LIMIT), "One line on how it relates (e.g. Medicare's code for the same service)."),
    ),
)

#: Plain-language sections of a code page, in page order (field name → heading).
#: A record may describe one code or a group of codes (an ICD-10-CM category, an ICD-10-PCS table);
#: the condition sections (symptoms … codes_distinguish) fit diagnoses, ``known_procedures`` and
#: ``approaches`` fit procedure groups; fill the ones that fit and leave the others out.
CODE_RECORD = Schema(
    "a code record",
    (
        Field("code", RecordKey(), "The code, exactly as the file is named. ICD-10-PCS records may also describe "
              "a table (`\"0DT\"`) or a table and body part (`\"0DTJ\"`).", required=True),
        Field("system", Choice(tuple(SYSTEMS)), "The code system; must match the folder.", required=True),
        Field("status", Choice(("draft", "reviewed")), "`draft` until a clinician has reviewed the record; "
              "pages say which.", required=True),
        Field("reviewed_by", Text(max_length=NAME_LIMIT), "Who reviewed it (name and qualification). Required when `status` is `reviewed`."),
        Field("reviewed_on", Date(), "When it was reviewed. Required when `status` is `reviewed`."),
        Field("edition", Pattern(r"(FY)?20\d\d", "an edition such as `FY2026` (ICD-10) or `2026` (CPT, HCPCS)"),
              "The code set edition the record was written against; a later edition that changes a cited code "
              "puts the record on the review list."),
        Field("draft", Boolean(), "An unfinished record: validated but not published."),
        Field("name", Text(max_length=NAME_LIMIT), "Plain-language name, one line, in our own words.", required=True),
        Field("common_names", ListOf(Text(max_length=NAME_LIMIT)), "What people commonly call it (shown as \"commonly known as\")."),
        Field("synonyms", ListOf(Text(max_length=NAME_LIMIT)), "Other words people search with; used by search, not shown as a section."),
        Field("add_on", Boolean(), "An add-on code is reported in addition to a primary code."),
        Field("primary_codes", ListOf(Code()), "For an add-on code: the primary codes it is reported with. Required when `add_on` is true."),
        Field("summary", Text(), "One to three sentences: what this is. Codes below a group record show it "
              "as their summary when they have no record of their own.", section="Summary"),
        Field("symptoms", ListOf(Text()), "For a condition: what a person may notice.", section="What you may notice"),
        Field("causes", ListOf(Text()), "For a condition: common causes and risk factors.", section="Common causes"),
        Field("diagnosis", ListOf(Text()), "For a condition: how it is found (exams, tests).", section="How it is found"),
        Field("treatment", ListOf(Text()), "For a condition: how it is usually treated, in general terms (no doses).",
              section="How it is treated"),
        Field("known_procedures", ListOf(Text()), "For a procedure group: the named procedures people know that "
              "are coded here (0DT: appendectomy, colectomy).", section="Procedures coded here"),
        Field("purpose", Text(), "Why it is done.", section="Purpose"),
        Field("indications", ListOf(Text()), "When it is done or reported.", section="Indications"),
        Field("preparation", ListOf(Text()), "What happens before.", section="Preparation"),
        Field("procedure_steps", ListOf(Text()), "What happens, in order (numbered on the page).", section="Procedure description"),
        Field("duration", Text(), "How long it takes.", section="Duration"),
        Field("setting", Text(), "Where it is done.", section="Setting"),
        Field("personnel", ListOf(Text()), "Who is involved.", section="Personnel"),
        Field("risks", ListOf(Text()), "Risks and complications.", section="Risks and complications"),
        Field("benefits", ListOf(Text()), "What the patient gains.", section="Benefits"),
        Field("recovery", Text(), "What happens afterwards.", section="Recovery"),
        Field("alternatives", ListOf(Text()), "Other options.", section="Alternatives"),
        Field("patient_experience", Text(), "What it is like for the patient.", section="Patient experience"),
        Field("approaches", ListOf(Text()), "For an ICD-10-PCS group: what its approach characters mean for the "
              "patient (open, through small cuts with a scope, through a natural opening).", section="Approaches"),
        Field("codes_distinguish", ListOf(Text()), "For a group: what the codes under it tell apart (site, side, "
              "type, episode of care, with or without a complication).", section="What the codes tell apart"),
        Field("coding_tips", ListOf(Text()), "Practical notes for coders, in our own words.", section="Coding tips"),
        Field("similar", ListOf(SIMILAR_ITEM), "Curated related codes, shown before the computed ones."),
        Field("equivalents", ListOf(EQUIVALENT_ITEM), "Codes of other systems for the same service or condition "
              "(G0008 beside 90471; the ICD-10-PCS table beside a surgery), curated."),
    ),
)

#: Examples of prefixes a policy may name, per system, for the schema's documentation.
_SCOPE_EXAMPLES = {"cpt": "none: CPT ranges such as `99202-99215`", "icd10cm": "`E11`, a chapter as `A00-B99`",
                   "icd10pcs": "`0` for a section, `0DT` for a table", "hcpcs": "`J`, `E06`"}

POLICY_CODES = Schema(
    "codes per system",
    tuple(
        Field(key, ListOf(CodeScope()), f"{system.name} codes the policy covers: codes, prefixes that stand for "
              f"every code they begin (e.g. {_SCOPE_EXAMPLES[key]}) and ranges of either.", system=key)
        for key, system in SYSTEMS.items()
    ),
)

#: The kinds of policy document, in the order pages list them.
POLICY_KINDS = ("guideline", "manual chapter", "national coverage determination", "local coverage determination",
                "billing article", "payer policy")

#: Code pages name a document covering many codes by a short title: each byte is repeated on thousands of pages.
SHORT_TITLE_LIMIT = 60

POLICY_RECORD = Schema(
    "a policy record",
    (
        Field("id", Pattern(r"[a-z0-9]+(-[a-z0-9]+)*", "an id of lower-case letters, digits and hyphens"),
              "Identifier; must equal the file name.", required=True),
        Field("publisher", Text(), "Who publishes it (health plan, CMS, contractor).", required=True),
        Field("title", Text(), "The document's title.", required=True),
        Field("short_title", Text(max_length=SHORT_TITLE_LIMIT), "A short name for the lists on code pages "
              f"(at most {SHORT_TITLE_LIMIT} characters, e.g. `ICD-10-CM Guidelines, Section I.C.4`); the title by default."),
        Field("identifier", Text(), "The publisher's number for it (article, manual chapter, policy number)."),
        Field("url", Pattern(r"https://\S+", "an https:// URL"), "Where the public document is. Required: no URL, no policy.", required=True),
        Field("date", Date(), "Its effective, revision or publication date, as seen in the document. Left out "
              "when no date could be verified."),
        Field("date_type", Choice(("effective", "revised", "published")), "Which kind of date `date` is; "
              "required with `date`."),
        Field("codes", POLICY_CODES, "Codes and ranges it covers, per system (`cpt`, `icd10cm`, `icd10pcs`, `hcpcs`).", required=True),
        Field("summary", Text(), "One line, in our own words: what it says about these codes.", required=True),
        Field("kind", Choice(POLICY_KINDS), "What kind of document it is; pages group policies by kind.", required=True),
        Field("section", Text(max_length=NAME_LIMIT), "The section or chapter cited, when the document is cited in part "
              "(e.g. `Section I.C.4`, `Chapter 12, section 30.5`)."),
        Field("checked", Text(max_length=NAME_LIMIT), "How the URL was verified: where it was seen and when "
              "(e.g. `seen in the stored copy of cms.gov's ICD-10 page, 2026-12-01`). No URL is ever invented.",
              required=True),
    ),
)

FAMILY_ITEM = Schema(
    "a code family",
    (
        Field("range", CodeOrRange(), "The family's range, `FIRST-LAST`.", required=True),
        Field("title", Text(), "The family's name, in our own words.", required=True),
        Field("summary", Text(), "One or two sentences shown on the family's index page; codes in the family "
              "without a record of their own show it as their summary."),
        Field("unassigned", Boolean(), "The range holds no codes in use (numbers not yet assigned or retired); "
              "coverage tests count it as covered."),
    ),
)

FAMILY_FILE = Schema(
    "a system's code families",
    (
        Field("system", Choice(tuple(SYSTEMS)), "The code system; must match the file name.", required=True),
        Field("families", ListOf(FAMILY_ITEM), "The families (code ranges) that group its codes. Families nest by "
              "range: a family inside another's range is its child (section → subsection → family); two ranges "
              "must not partly overlap.", required=True),
    ),
)

class CodePrefix(FieldType):
    """A code of the file's system or the start of one (``"I21"``, ``"Z96.65"``, ``"0DT"``): validation
    checks that some official code starts with it."""

    describe = "code or code prefix (a quoted string, e.g. `\"I21\"`)"

    def check(self, value: Any, where: Where, context: CheckContext) -> list[Problem]:
        if not isinstance(value, str) or not value.strip():
            return _type_problem(where, "a code or code prefix as a quoted string", value)
        if normalise_code(context.system, value) != value:
            return [where.problem(f"write the code as {normalise_code(context.system, value)!r}, not {excerpt(value)}")]
        return []


VOCABULARY_ENTRY = Schema(
    "a vocabulary entry",
    (
        Field("say", ListOf(Text(max_length=NAME_LIMIT)), "How people say it: everyday words, common names, "
              "abbreviations, brand names. Search finds the codes by these words, ranked below official words.",
              required=True),
        Field("title_words", Text(max_length=NAME_LIMIT), "The words an official title must contain for the entry "
              "to apply to its code (any order; `-word`: the title must not contain it), e.g. `myocardial infarction`."),
        Field("codes", ListOf(CodePrefix()), "Codes or code prefixes the entry applies to (every code that "
              "starts so), e.g. `\"B02\"` for shingles. An entry has `title_words`, `codes` or both; with both, it "
              "applies to the codes that start so and whose official title holds the words."),
        Field("note", Text(max_length=NAME_LIMIT), "Why the words mean this, for reviewers (not shown)."),
    ),
)

VOCABULARY_FILE = Schema(
    "a vocabulary file",
    (
        Field("system", Choice(tuple(SYSTEMS)), "The code system whose codes the entries lead to.", required=True),
        Field("entries", ListOf(VOCABULARY_ENTRY), "The entries.", required=True),
    ),
)

#: The schemas documented in the reference page, with where their files live.
DOCUMENTED = (
    ("Code record", "content/<system>/<code>.yaml", CODE_RECORD),
    ("Similar code (an item of `similar`)", "inside a code record", SIMILAR_ITEM),
    ("Code of another system (an item of `equivalents`)", "inside a code record", EQUIVALENT_ITEM),
    ("Policy record", "content/policies/<id>.yaml", POLICY_RECORD),
    ("Policy codes (the `codes` mapping)", "inside a policy record", POLICY_CODES),
    ("Family file", "content/families/<system>.yaml", FAMILY_FILE),
    ("Family (an item of `families`)", "inside a family file", FAMILY_ITEM),
    ("Vocabulary file", "content/vocabulary/<name>.yaml", VOCABULARY_FILE),
    ("Vocabulary entry (an item of `entries`)", "inside a vocabulary file", VOCABULARY_ENTRY),
)


def reference_page() -> str:
    """The Markdown of ``content/SCHEMA.md``, generated from the declarations above."""
    lines = [
        "# Content record reference",
        "",
        "<!-- Generated by `python -m generator schema-doc` from generator/schema.py; do not edit by hand. -->",
        "",
        "Every file in `content/` is YAML and is checked against these declarations by `make check`.",
        "Unknown keys are errors. Codes are quoted strings in their normal form (`\"96417\"`, `\"E11.65\"`).",
        f"A name or other one-line text holds at most {NAME_LIMIT:,} characters, any other text at most {TEXT_LIMIT:,}.",
        "Page sections appear in the order listed here, and only when the field has content.",
        "",
    ]
    for title, where, schema in DOCUMENTED:
        lines += [f"## {title}", "", f"Where: `{where}`", "", "| field | type | required | page section | meaning |", "|---|---|---|---|---|"]
        for declared in schema.fields:
            lines.append(
                f"| `{declared.name}` | {declared.type.describe} | {'yes' if declared.required else 'no'} "
                f"| {declared.section or ''} | {declared.doc} |"
            )
        lines.append("")
    return "\n".join(lines)
