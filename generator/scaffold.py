"""Scaffold a new code record: ``content/<system>/<code>.yaml`` with every field present and commented.

The file is written from the declarations in :data:`generator.schema.CODE_RECORD`,
so it lists exactly the declared fields, in page order, each with its type and
meaning, and marks the required ones. ``code`` and ``system`` are filled in; every
other field is left empty, which validation treats as absent. The unfilled
scaffold therefore fails only on the required fields still to write
(``content/cpt/96418.yaml:…: name: missing required field``) and passes once
they are written.
"""

from __future__ import annotations

from pathlib import Path

from .codes import SYSTEMS, is_well_formed, normalise_code
from .errors import Abort
from .schema import CODE_RECORD, Field, ListOf, Schema

HEADER = """\
# {system_name} {code}: a code record of Open Medical Codes.
# Scaffolded by `make new SYSTEM={system} CODE={code}` from the field declarations in generator/schema.py.
#
# Fill in every field marked "required", then the others you can support. Leave a field
# empty (nothing after the colon) to leave it out: empty sections are not shown.
# Text: write it after the colon, or write `>-` and continue on the next lines, indented.
# Lists: one item per line, each starting with "  - ".
# Write in your own words and never copy official descriptors (see CONTRIBUTING.md).
# Then run `make check`, and `make serve` to preview. Field reference: content/SCHEMA.md.
"""


def identity(system: str, code: str) -> tuple[str, str]:
    """Check a SYSTEM and CODE as typed; return the system key and the code in its normal form.

    Accepts any case and, for ICD-10-CM, a missing dot (``cpt``/``CPT``, ``e1165`` → ``E11.65``).
    Raises :class:`Abort` with a message naming the bad value.
    """
    key = system.strip().lower()
    if key not in SYSTEMS:
        raise Abort(f"unknown code system {system!r} (choose one of: {', '.join(SYSTEMS)})")
    normal = normalise_code(key, code)
    if not is_well_formed(key, normal):
        raise Abort(f"{code!r} is not a {SYSTEMS[key].name} code (e.g. {SYSTEMS[key].example!r})")
    return key, normal


def _field_lines(declared: Field, comment: str = "# ") -> list[str]:
    """The comment that introduces one field: name, required mark, type, page section, meaning."""
    facts = [declared.name + (" (required)" if declared.required else ""), declared.type.describe]
    if declared.section:
        facts.append(f'page section "{declared.section}"')
    lines = [comment + " · ".join(facts), comment + declared.doc]
    if isinstance(declared.type, ListOf) and isinstance(declared.type.item, Schema):
        item = declared.type.item
        lines.append(comment + "Each item:")
        lines += [
            f"{comment}  {sub.name}{' (required)' if sub.required else ''} · {sub.type.describe}: {sub.doc}"
            for sub in item.fields
        ]
        lines.append(comment + "For example:")
        for index, sub in enumerate(item.fields):
            lines.append(f"{comment}  {'- ' if index == 0 else '  '}{sub.name}: ")
    return [line.rstrip() for line in lines]


def scaffold_text(system: str, code: str) -> str:
    """The YAML of a new record for ``code`` (normal form) of ``system``: every field, commented."""
    edition = "FY2026" if system in ("icd10cm", "icd10pcs") else "2026"
    filled = {"code": f'"{code}"', "system": system, "status": "draft", "edition": f'"{edition}"'}
    blocks = [HEADER.format(system_name=SYSTEMS[system].name, system=system, code=code).rstrip("\n")]
    for declared in CODE_RECORD.fields:
        value = filled.get(declared.name)
        blocks.append("\n".join([*_field_lines(declared), f"{declared.name}: {value}" if value else f"{declared.name}:"]))
    return "\n\n".join(blocks) + "\n"


def write_scaffold(content_dir: Path, system: str, code: str) -> Path:
    """Write the scaffold of a new record into ``content_dir``; return its path.

    Raises :class:`Abort` for an unknown system, a malformed code, a missing
    content folder, or a record that already exists (which is never overwritten).
    """
    system, code = identity(system, code)
    if not content_dir.is_dir():
        raise Abort(f"{content_dir}: content folder not found")
    target = content_dir.resolve() / system / f"{code}.yaml"
    shown = target.relative_to(content_dir.resolve().parent).as_posix()
    target.parent.mkdir(exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as stream:
            stream.write(scaffold_text(system, code))
    except FileExistsError:
        raise Abort(f"{shown} already exists: edit it instead (nothing was written)") from None
    return target
