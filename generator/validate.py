"""Content validation: read every file in ``content/``, check it against its schema, then across records.

Phase one checks each file on its own (YAML syntax, declared fields and types,
file name = identity). Phase two checks references between records (similar
codes, primary codes, policy codes, families). Every problem is collected; if
there is any, :class:`~generator.errors.InvalidContent` is raised once with all
of them, so one run shows everything to fix.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .codes import SYSTEMS, CodeRange, is_well_formed, parse_code_or_range, parse_scope, scope_stretch, sort_key
from .errors import InvalidContent, Problem
from .links import form_problem
from .model import CodeRecord, Content, Family, Policy, SimilarPick, VocabularyEntry
from .official import OFFICIAL_SYSTEMS, OfficialCodes
from .schema import CODE_RECORD, FAMILY_FILE, POLICY_RECORD, VOCABULARY_FILE, CheckContext, Schema, Where
from .prose_codes import mentions
from .style import GRADE_LIMIT, missing_axes, reading_grade
from .style import problems as style_problems
from .search_text import indexed_terms
from .search_text import terms as search_terms
from .search_thesaurus import holds, title_condition
from .yaml_source import LinedDict, load_yaml

POLICIES_DIR = "policies"
FAMILIES_DIR = "families"
VOCABULARY_DIR = "vocabulary"
#: Files that may sit in content/ besides the record folders.
DOCUMENTATION_FILES = {"SCHEMA.md", "README.md"}


class _Reader:
    """Collects problems while reading the files of one content folder."""

    def __init__(self, content_dir: Path, shown_root: Path) -> None:
        self.content_dir = content_dir
        self.shown_root = shown_root
        self.problems: list[Problem] = []
        #: The parsed file of each valid record, by shown path, for line numbers in phase two.
        self.raw: dict[str, LinedDict] = {}
        #: (system, file stem) of code records that failed phase one; phase two does not call them unknown.
        self.unreadable: set[tuple[str, str]] = set()
        #: Systems whose family file failed phase one; their records are not checked against families.
        self.unreadable_families: set[str] = set()

    def shown(self, path: Path) -> str:
        """The path as printed in messages: relative to the project when possible."""
        try:
            return path.relative_to(self.shown_root).as_posix()
        except ValueError:
            return path.as_posix()

    def read(self, path: Path, schema: Schema, system: str | None) -> LinedDict | None:
        """Parse and schema-check one file; ``None`` when it has problems (already recorded).

        ``system`` is the code system its codes are checked in; ``None``: the one the file declares in its
        ``system`` field (ICD-10-CM when it declares none it knows).
        """
        data, problem = load_yaml(path, self.shown(path))
        if problem:
            self.problems.append(problem)
            return None
        where = Where(self.shown(path), 1, "")
        if not isinstance(data, LinedDict):
            self.problems.append(where.problem(f"expected a mapping of fields, got {type(data).__name__}"))
            return None
        if system is None:
            system = data.get("system") if data.get("system") in SYSTEMS else "icd10cm"
        problems = schema.check(data, Where(where.path, data.line, ""), CheckContext(system))
        self.problems += problems
        return None if problems else data

    def identity_problem(self, data: LinedDict, path: Path, key: str, expected: str) -> None:
        if data[key] != expected:
            self.problems.append(
                Where(self.shown(path), data.lines[key], key).problem(
                    f"{data[key]!r} does not match the file name {path.name!r}"
                    if key != "system"
                    else f"{data[key]!r} does not match the folder {expected!r}"
                )
            )


#: Fields that hold identifiers, not prose.
_NOT_PROSE = {"code", "system", "status", "edition", "reviewed_by", "range", "id", "url", "date_type", "identifier",
              "publisher"}


def _texts(data: LinedDict, field: str = "") -> Iterator[tuple[str, int, str]]:
    """Every prose text of a parsed record with its line and field path."""
    for name, value in data.items():
        path = f"{field}.{name}" if field else str(name)
        if name in _NOT_PROSE:
            continue
        if isinstance(value, str):
            yield value, data.lines[name], path
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield item, value.lines[index], f"{path}[{index}]"
                elif isinstance(item, LinedDict):
                    yield from _texts(item, f"{path}[{index}]")


def _check_style(reader: _Reader, shown: str, data: LinedDict) -> None:
    """US English and short sentences in every prose field (generator/style.py)."""
    for text, line, field_name in _texts(data):
        for message in style_problems(text):
            reader.problems.append(Problem(shown, line, field_name, message))


def editor_file(name: str) -> bool:
    """Editors' swap, lock and backup files (``.96417.yaml.swp``, ``96417.yaml~``, ``.#96417.yaml``, ``#x#``)."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def _items(data: LinedDict, key: str) -> tuple[Any, ...]:
    return tuple(data.get(key) or ())


def _read_code_record(reader: _Reader, path: Path, system: str) -> CodeRecord | None:
    """Read one code record; ``None`` only when its fields are invalid (identity problems are recorded but kept)."""
    data = reader.read(path, CODE_RECORD, system)
    if data is None:
        reader.unreadable.add((system, path.stem))
        return None
    shown = reader.shown(path)
    reader.identity_problem(data, path, "system", system)
    if data["code"] != path.stem:
        reader.identity_problem(data, path, "code", path.stem)
    add_on = bool(data.get("add_on"))
    if add_on and not data.get("primary_codes"):
        reader.problems.append(Where(shown, data.lines["add_on"], "primary_codes").problem(
            "an add-on code must list the primary codes it is reported with"))
    if not add_on and data.get("primary_codes"):
        reader.problems.append(Where(shown, data.lines["primary_codes"], "primary_codes").problem(
            "only an add-on code (add_on: true) has primary codes"))
    if data["status"] == "reviewed":
        for required in ("reviewed_by", "reviewed_on"):
            if not data.get(required):
                reader.problems.append(Where(shown, data.lines["status"], required).problem(
                    f"a reviewed record names who reviewed it and when ({required} is missing)"))
    _check_style(reader, shown, data)
    reader.raw[shown] = data
    sections = {
        declared.name: (tuple(value) if isinstance(value, list) else value.strip())
        for declared in CODE_RECORD.fields
        if declared.section and (value := data.get(declared.name))
    }
    return CodeRecord(
        system=system,
        code=data["code"],
        source_path=shown,
        name=data["name"].strip(),
        draft=bool(data.get("draft")),
        status=data["status"],
        reviewed_by=(data.get("reviewed_by") or "").strip() or None,
        reviewed_on=data.get("reviewed_on"),
        edition=data.get("edition"),
        common_names=_items(data, "common_names"),
        synonyms=_items(data, "synonyms"),
        add_on=add_on,
        primary_codes=_items(data, "primary_codes"),
        sections=sections,
        similar=tuple(SimilarPick(item["code"], item.get("reason")) for item in _items(data, "similar")),
        equivalents=tuple((item["system"], item["code"], item.get("reason")) for item in _items(data, "equivalents")),
    )


def _read_policy(reader: _Reader, path: Path) -> Policy | None:
    data = reader.read(path, POLICY_RECORD, system="cpt")
    if data is None:
        return None
    if data["id"] != path.stem:
        reader.identity_problem(data, path, "id", path.stem)
        return None
    shown = reader.shown(path)
    if ("date" in data) != ("date_type" in data):
        present, missing = ("date", "date_type") if "date" in data else ("date_type", "date")
        reader.problems.append(Where(shown, data.lines[present], missing).problem(f"`{present}` needs `{missing}` beside it"))
        return None
    scopes = {system: tuple(parse_scope(system, entry) for entry in entries)
              for system, entries in data["codes"].items()}
    for message in style_problems(data["summary"]):
        reader.problems.append(Problem(shown, data.lines["summary"], "summary", message))
    if problem := form_problem(data["url"]):
        reader.problems.append(Problem(shown, data.lines["url"], "url", f"{data['url']!r} {problem}"))
    reader.raw[shown] = data
    return Policy(
        id=data["id"],
        source_path=shown,
        publisher=data["publisher"].strip(),
        title=data["title"].strip(),
        identifier=(data.get("identifier") or "").strip() or None,
        url=data["url"],
        date=data.get("date"),
        date_type=data.get("date_type"),
        summary=data["summary"].strip(),
        scopes=scopes,
        kind=data["kind"],
        section=(data.get("section") or "").strip() or None,
        checked=data["checked"].strip(),
        short_title=(data.get("short_title") or "").strip() or None,
    )


def _read_families(reader: _Reader, path: Path) -> list[Family]:
    system = path.stem
    if system not in SYSTEMS:
        reader.problems.append(Problem(reader.shown(path), 0, "", f"file name must be a code system ({', '.join(SYSTEMS)})"))
        return []
    data = reader.read(path, FAMILY_FILE, system)
    if data is None:
        reader.unreadable_families.add(system)
        return []
    reader.identity_problem(data, path, "system", system)
    _check_style(reader, reader.shown(path), data)
    families: list[Family] = []
    lines: dict[CodeRange, int] = {}
    items = data["families"]
    for index, item in enumerate(items):
        span = parse_code_or_range(system, item["range"])
        family = Family(
            system=system,
            range=span if isinstance(span, CodeRange) else CodeRange(span, span),
            title=item["title"].strip(),
            summary=(item.get("summary") or "").strip() or None,
            source_path=reader.shown(path),
            unassigned=bool(item.get("unassigned")),
        )
        where = Where(reader.shown(path), items.lines[index], f"families[{index}].range")
        for other in families:
            if other.range == family.range:
                reader.problems.append(where.problem(f"duplicate range {family.range.slug}, also on line {lines[other.range]}"))
            elif _partly_overlap(other.range, family.range):
                reader.problems.append(where.problem(
                    f"{family.range.slug} partly overlaps {other.range.slug} (line {lines[other.range]}): "
                    "families must nest or be apart"))
        lines.setdefault(family.range, items.lines[index])
        families.append(family)
    return families


def _read_vocabulary(reader: _Reader, path: Path) -> list[VocabularyEntry]:
    data = reader.read(path, VOCABULARY_FILE, system=None)
    if data is None:
        return []
    system = data["system"]
    entries = []
    for index, item in enumerate(data["entries"]):
        where = Where(reader.shown(path), data["entries"].lines[index], f"entries[{index}]")
        if not item.get("title_words") and not item.get("codes"):
            reader.problems.append(where.problem("an entry needs title_words, codes or both"))
            continue
        if item.get("title_words") and not search_terms(" ".join(
                word for word in item["title_words"].split() if not word.startswith("-"))):
            reader.problems.append(where.problem(f"title_words {item['title_words']!r} has only stop words"))
            continue
        say = tuple(phrase.strip() for phrase in item["say"])
        if len(set(say)) < len(say):
            reader.problems.append(where.problem("say lists a phrase twice"))
        for position, phrase in enumerate(say):
            if not search_terms(phrase):
                reader.problems.append(Where(where.path, item["say"].lines[position], f"{where.field}.say[{position}]")
                                       .problem(f"{phrase!r} has only stop words: search can never find it"))
        entries.append(VocabularyEntry(system, say, item.get("title_words"), tuple(item.get("codes") or ()),
                                       reader.shown(path), where.line, index))
    reader.raw[reader.shown(path)] = data
    return entries


class _TitlesByPrefix:
    """The official titles of the codes that start with a prefix, per system (codes sorted once, when first
    asked), and each title's index terms (worked out once, as the index works them out)."""

    def __init__(self, official: OfficialCodes) -> None:
        self.official = official
        self._sorted: dict[str, tuple[list[str], list[str]]] = {}
        self._terms: dict[str, frozenset[str]] = {}

    def titles(self, system: str, prefix: str) -> list[str]:
        """The titles of the codes of ``system`` whose key (no dots) starts with ``prefix``'s (none: no such code)."""
        if system not in self._sorted:
            pairs = sorted((code.replace(".", ""), title) for code, title in self.official.titles(system).items())
            self._sorted[system] = ([key for key, _ in pairs], [title for _, title in pairs])
        keys, titles = self._sorted[system]
        key = prefix.replace(".", "")
        return titles[bisect.bisect_left(keys, key):bisect.bisect_left(keys, key + "\uffff")]

    def terms(self, title: str) -> frozenset[str]:
        found = self._terms.get(title)
        if found is None:
            found = self._terms[title] = indexed_terms(title)
        return found


def _partly_overlap(one: CodeRange, other: CodeRange) -> bool:
    """Whether two ranges share codes without one holding the other (compared as code keys)."""
    if one.kind != other.kind:
        return False  # CPT's numbers and F, T and U codes are separate code sets: their ranges never share codes
    a, b = (sort_key(one.first), sort_key(one.last)), (sort_key(other.first), sort_key(other.last))
    apart = a[1] < b[0] or b[1] < a[0]
    nested = (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])
    return not apart and not nested


def _check_references(content: Content, reader: _Reader, official: OfficialCodes) -> None:
    """Phase two: every code a record or policy names must exist; every CPT record must sit in a family.

    A code exists when it is official or has a published record. Records that
    failed phase one count as existing, so one broken file does not make every
    reference to it an error too.
    """
    records = {key for key, record in content.records.items() if not record.draft} | reader.unreadable

    unread = {system for system in OFFICIAL_SYSTEMS if system not in official.systems()}

    def exists(system: str, code: str) -> bool:
        # A code of a release that was not read (``--systems``) cannot be checked here: it is not called unknown.
        return system in unread or (system, code) in records or official.exists(system, code)

    for (system, code), record in sorted(content.records.items()):
        data = reader.raw[record.source_path]
        if system in official.systems() and not record.draft and not official.describes(system, code):
            reader.problems.append(Problem(
                record.source_path, data.lines["code"], "code",
                f"{code!r} is not in the official {SYSTEMS[system].name} release this site is built from; "
                "a record may describe only an official code (mark it `draft: true` while it waits for a future edition)"))
        for field_name, references in (
            ("primary_codes", record.primary_codes),
            ("similar", tuple(pick.code for pick in record.similar)),
        ):
            seen: set[str] = set()
            for index, reference in enumerate(references):
                if reference == code:
                    problem = f"{reference!r} is this record's own code"
                elif reference in seen:
                    problem = f"{reference!r} is listed twice"
                elif not exists(system, reference):
                    problem = f"unknown code {reference!r}"
                else:
                    problem = None
                seen.add(reference)
                if problem:
                    line = data[field_name].lines[index]
                    reader.problems.append(Problem(record.source_path, line, f"{field_name}[{index}]", problem))
        for index, (other_system, other, _) in enumerate(record.equivalents):
            if other_system == system:
                problem = f"{other!r} is of this record's own system: list it under similar"
            elif not (exists(other_system, other) or official.describes(other_system, other)):
                problem = f"unknown {SYSTEMS[other_system].name} code {other!r}"
            else:
                continue
            reader.problems.append(Problem(record.source_path, data["equivalents"].lines[index],
                                           f"equivalents[{index}]", problem))
        if system in reader.unreadable_families or system in OFFICIAL_SYSTEMS:
            continue  # official codes sit in their release's own hierarchy
        if not record.draft and not any(code in family.range for family in content.families.get(system, [])):
            reader.problems.append(Problem(record.source_path, data.lines["code"], "code",
                                           f"{code!r} is in no family of content/{FAMILIES_DIR}/{system}.yaml"))

    for (system, code), record in sorted(content.records.items()):
        _check_prose_codes(record, reader.raw[record.source_path], reader, official)

    titled = _TitlesByPrefix(official)
    for entry in content.vocabulary:
        if entry.system not in official.systems() or not entry.codes:
            continue
        codes = reader.raw[entry.source_path]["entries"][entry.index]["codes"]
        condition = title_condition(entry.title_words) if entry.title_words else None
        for position, code in enumerate(entry.codes):
            where = (entry.source_path, codes.lines[position], f"entries[{entry.index}].codes[{position}]")
            titles = titled.titles(entry.system, code)
            if not titles:
                reader.problems.append(Problem(*where, f"no {SYSTEMS[entry.system].name} code starts with {code!r}"))
            elif condition is not None and not any(holds(condition, titled.terms(title)) for title in titles):
                reader.problems.append(Problem(*where, f"no {SYSTEMS[entry.system].name} code starting with {code!r} "
                                                      f"has a title with title_words {entry.title_words!r}"))

    known: dict[str, list[str]] = {}
    for policy in content.policies:
        codes = reader.raw[policy.source_path]["codes"]
        for system, entries in codes.items():
            for index, scope in enumerate(policy.scopes[system]):
                if system in unread or system in reader.unreadable_families:
                    continue
                if system == "cpt":
                    # CPT's list of numbers is not public: a CPT code, and each end of a CPT range, must lie
                    # in a family (every number of a family answers with its page).
                    families = content.families.get(system, [])
                    inside = all(any(end in family.range for family in families) for end in (scope.first, scope.last))
                    problem = None if inside or exists(system, scope.first) else (
                        f"{entries[index]!r} lies in no family of content/{FAMILIES_DIR}/cpt.yaml")
                elif scope.first == scope.last and is_well_formed(system, scope.first):
                    problem = None if exists(system, scope.first) else f"unknown code {scope.first!r}"
                else:
                    if system not in known:
                        known[system] = sorted(sort_key(code) for code in official.page_keys(system))
                    start, end = scope_stretch(system, scope, known[system])
                    problem = None if end > start else f"no {SYSTEMS[system].name} code lies in {entries[index]!r}"
                if problem:
                    reader.problems.append(Problem(policy.source_path, entries.lines[index],
                                                   f"codes.{system}[{index}]", problem))


def _check_prose_codes(record: CodeRecord, data: LinedDict, reader: _Reader, official: OfficialCodes) -> None:
    """Every code named in a record's text must be an official code of the releases that were read."""
    loaded = set(official.systems())
    for text, line, field_name in _texts(data):
        for mention in mentions(text):
            if mention.certain and mention.system in loaded and not official.exists(mention.system, mention.code):
                reader.problems.append(Problem(record.source_path, line, field_name,
                                               f"{mention.code!r} is not a code of the official "
                                               f"{SYSTEMS[mention.system].name} release"))


def _warnings(content: Content, reader: _Reader, official: OfficialCodes) -> list[Problem]:
    """What a reviewer should look at but that does not stop the build: a plain name that drops an axis of
    the official title (side, episode of care, intractable or not, …) and a summary above grade 12."""
    warnings = []
    for (system, code), record in sorted(content.records.items()):
        data = reader.raw.get(record.source_path)
        if data is None:
            continue
        title = official.title(system, code)
        if title and system == "icd10cm":
            for axis in missing_axes(title, record.name):
                warnings.append(Problem(record.source_path, data.lines["name"], "name",
                                        f"the official title says {axis!r}; the plain name has no word for it"))
        summary = record.sections.get("summary")
        if isinstance(summary, str) and (grade := reading_grade(summary)) > GRADE_LIMIT:
            warnings.append(Problem(record.source_path, data.lines["summary"], "summary",
                                    f"reads at grade {grade:.1f} (above {GRADE_LIMIT:g}): use shorter words and sentences"))
    return warnings


def load_vocabulary(vocabulary_dir: Path) -> list[VocabularyEntry]:
    """The entries of a vocabulary folder on their own, schema-checked (codes are checked by :func:`load_content`)."""
    reader = _Reader(vocabulary_dir, vocabulary_dir.parent.parent)
    entries = [entry for path in sorted(vocabulary_dir.glob("*.yaml")) for entry in _read_vocabulary(reader, path)]
    if reader.problems:
        raise InvalidContent(reader.problems)
    return entries


def load_content(content_dir: Path, shown_root: Path | None = None, official: OfficialCodes | None = None) -> Content:
    """Read and validate everything under ``content_dir``.

    ``shown_root`` is the directory paths in messages are relative to (default:
    the parent of ``content_dir``). Codes of ``official`` count as existing.
    Raises :class:`InvalidContent` listing every problem, or returns the
    validated :class:`Content`.
    """
    if not content_dir.is_dir():
        raise InvalidContent([Problem(content_dir.as_posix(), 0, "", "content folder not found")])
    reader = _Reader(content_dir, shown_root or content_dir.parent)
    records: dict[tuple[str, str], CodeRecord] = {}
    policies: list[Policy] = []
    families: dict[str, list[Family]] = {}
    vocabulary: list[VocabularyEntry] = []
    folders = (*SYSTEMS, POLICIES_DIR, FAMILIES_DIR, VOCABULARY_DIR)
    for entry in sorted(content_dir.iterdir()):
        if entry.is_file() and entry.name in DOCUMENTATION_FILES:
            continue
        if not entry.is_dir() or entry.name not in folders:
            kind = "folder" if entry.is_dir() else "file"
            reader.problems.append(Problem(reader.shown(entry), 0, "",
                                           f"unexpected {kind} in content/ (expected folders: {', '.join(folders)})"))
            continue
        for path in sorted(entry.iterdir(), key=lambda p: sort_key(p.name)):
            if editor_file(path.name):
                continue
            if path.suffix != ".yaml":
                reader.problems.append(Problem(reader.shown(path), 0, "", "unexpected file: records are .yaml files"))
            elif entry.name == POLICIES_DIR:
                if policy := _read_policy(reader, path):
                    policies.append(policy)
            elif entry.name == VOCABULARY_DIR:
                vocabulary += _read_vocabulary(reader, path)
            elif entry.name == FAMILIES_DIR:
                if family_list := _read_families(reader, path):
                    families[path.stem] = family_list
            elif record := _read_code_record(reader, path, entry.name):
                key = (record.system, record.code)
                if key in records:
                    line = reader.raw[record.source_path].lines["code"]
                    reader.problems.append(Problem(record.source_path, line, "code",
                                                   f"duplicate code {record.code!r}, also in {records[key].source_path}"))
                else:
                    records[key] = record
    cited: dict[tuple[str, str | None], Policy] = {}
    for policy in sorted(policies, key=lambda policy: policy.source_path):
        # One document may be cited by several records, each for a part of it (a section), never twice for one part.
        if (twin := cited.setdefault((policy.url, policy.section), policy)) is not policy:
            part = f" for {policy.section!r}" if policy.section else ""
            reader.problems.append(Problem(policy.source_path, reader.raw[policy.source_path].lines["url"], "url",
                                           f"the same document{part} as {twin.source_path}"))
    content = Content(records=records, policies=policies, families=families, vocabulary=vocabulary)
    _check_references(content, reader, official or OfficialCodes())
    content.warnings = _warnings(content, reader, official or OfficialCodes())
    if reader.problems:
        raise InvalidContent(reader.problems)
    return content
