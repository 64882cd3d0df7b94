"""Command line: ``python -m generator check|docs|build|schema-doc``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import Abort, InvalidContent
from .pages import write_docs
from .relations import Catalog
from .schema import reference_page
from .site import build_site, write_mkdocs_config
from .validate import load_content

PROJECT = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--content", type=Path, default=PROJECT / "content", help="content folder (default: content/)")
    parser.add_argument("--templates", type=Path, default=PROJECT / "site_templates", help="templates folder")
    parser.add_argument("--build-dir", type=Path, default=PROJECT / "build", help="staging folder (default: build/)")
    parser.add_argument("--mkdocs-config", type=Path, default=PROJECT / "mkdocs.yml", help="base MkDocs configuration")
    parser.add_argument("--site-dir", type=Path, default=PROJECT / "site", help="output folder (default: site/)")
    parser.add_argument("--github-annotations", action="store_true",
                        help="also print problems as GitHub Actions annotations")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate content/ only")
    commands.add_parser("docs", help="validate and write the staging docs folder and MkDocs config")
    commands.add_parser("build", help="validate, write the docs and build the site with MkDocs (strict)")
    schema_doc = commands.add_parser("schema-doc", help="write or check content/SCHEMA.md")
    schema_doc.add_argument("--check", action="store_true", help="fail if content/SCHEMA.md is out of date")
    return parser


def _write_docs(args: argparse.Namespace) -> tuple[int, Path]:
    content = load_content(args.content, shown_root=args.content.resolve().parent)
    catalog = Catalog(content)
    docs_dir = args.build_dir / "docs"
    page_count, nav = write_docs(catalog, args.templates, docs_dir)
    config = args.build_dir / "mkdocs.yml"
    write_mkdocs_config(args.mkdocs_config, docs_dir, nav, config)
    return page_count, config


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.command == "schema-doc":
        target = args.content / "SCHEMA.md"
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != reference_page():
                raise Abort(f"{target} is out of date: run `python -m generator schema-doc`")
            print(f"{target} is up to date")
        else:
            target.write_text(reference_page(), encoding="utf-8")
            print(f"wrote {target}")
        return 0
    if args.command == "check":
        content = load_content(args.content, shown_root=args.content.resolve().parent)
        print(f"content OK: {len(content.records)} code records, {len(content.policies)} policies, "
              f"{sum(len(f) for f in content.families.values())} families")
        return 0
    page_count, config = _write_docs(args)
    print(f"wrote {page_count} pages to {args.build_dir / 'docs'} ({time.perf_counter() - started:.1f} s)")
    if args.command == "build":
        build_site(config, args.site_dir)
        print(f"built {args.site_dir} in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except InvalidContent as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
            if args.github_annotations:
                print(problem.github_annotation())
        print(error, file=sys.stderr)
        return 1
    except Abort as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
