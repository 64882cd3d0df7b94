"""Command line: ``python -m generator check|docs|build|serve|data|search|new|schema-doc``."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from .errors import Abort, InvalidContent
from .codes import SYSTEMS
from .official import OFFICIAL_SYSTEMS, OfficialCodes, load_official
from .pages import write_docs
from .relations import Catalog
from .scaffold import write_scaffold
from .schema import reference_page
from .settings import SiteSettings
from .progress import heartbeat
from .swap import build_lock, finish_deletions, recover
from .mkdocs_build import build_site, write_mkdocs_config
from .validate import load_content

PROJECT = Path(__file__).resolve().parent.parent
ALL_SYSTEMS = ("cpt", *OFFICIAL_SYSTEMS)


def _systems(text: str) -> tuple[str, ...]:
    systems = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [system for system in systems if system not in ALL_SYSTEMS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown code system {', '.join(unknown)} (known: {', '.join(ALL_SYSTEMS)})")
    return systems


def _edition(text: str) -> int:
    if not re.fullmatch(r"(FY)?20\d\d", text.strip(), re.IGNORECASE):
        raise argparse.ArgumentTypeError(f"{text!r} is not a fiscal year such as 2027")
    return int(text.strip()[-4:])


def _chosen_edition(args: argparse.Namespace) -> int:
    from .sources.cms_files import CURRENT_EDITION

    if args.edition is not None:
        return args.edition
    value = os.environ.get("OMC_EDITION")
    try:
        return _edition(value) if value else CURRENT_EDITION
    except argparse.ArgumentTypeError as error:
        raise Abort(f"$OMC_EDITION: {error}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


#: The search command's options; any other word after ``search`` that starts with "-" is the query
#: (lunr's "-word" excludes a word: ``search -E11`` must not read as an unknown option).
_SEARCH_OPTIONS = ("--index", "--system", "--billable-only", "--include-terminated", "--limit", "-h", "--help")


def _query_not_option(argv: list[str]) -> list[str]:
    if "search" not in argv:
        return argv
    at = argv.index("search") + 1
    rest = argv[at:]
    for index, word in enumerate(rest):
        if word.startswith("-") and word.split("=")[0] not in _SEARCH_OPTIONS and (
                index == 0 or rest[index - 1] not in ("--index", "--system", "--limit")):
            return argv[:at] + rest[:index] + rest[index + 1:] + ["--", word]
    return argv


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--content", type=Path, default=PROJECT / "content", help="content folder (default: content/)")
    parser.add_argument("--templates", type=Path, default=PROJECT / "site_templates", help="templates folder")
    parser.add_argument("--build-dir", type=Path, default=PROJECT / "build", help="staging folder (default: build/)")
    parser.add_argument("--mkdocs-config", type=Path, default=PROJECT / "mkdocs.yml", help="base MkDocs configuration")
    parser.add_argument("--site-dir", type=Path, default=PROJECT / "site", help="output folder (default: site/)")
    parser.add_argument("--build-date", default=None, help="the date the build counts as today, YYYY-MM-DD (default: "
                        "today, or $OMC_BUILD_DATE): pages say when a newer edition has taken effect")
    parser.add_argument("--systems", type=_systems, default=ALL_SYSTEMS,
                        help=f"code systems to publish, comma-separated (default: {','.join(ALL_SYSTEMS)})")
    parser.add_argument("--cms-data", type=Path, default=None,
                        help="folder with the official CMS files (default: $OMC_CMS_DATA, ../shared/data/cms, build/data/cms)")
    parser.add_argument("--edition", type=_edition, default=None,
                        help="fiscal year of the ICD-10 and CMS files to read, e.g. 2027 (default: $OMC_EDITION or "
                             "2026); a year other than 2026 also needs --icd10cm-xml")
    parser.add_argument("--reference-data", type=Path, default=None,
                        help="folder with the coders' reference data (default: $OMC_REFERENCE_DATA, build/data/reference)")
    parser.add_argument("--icd10cm-xml", type=Path, default=None,
                        help="ICD-10-CM tabular XML (default: the one in the simple-icd-10-cm package)")
    parser.add_argument("--cpt-descriptors", type=Path, default=None,
                        help="a licensed AMA CPT descriptor file (tab-separated or CSV of code,descriptor); only for "
                             "site owners who hold an AMA licence: every code in it gets a page with its descriptor")
    parser.add_argument("--unverified-data", action="store_true",
                        help="read the data files without checking checksums and counts (test fixtures only)")
    parser.add_argument("--site-url", default=None, help="published site URL, for canonical links (default: $SITE_URL)")
    parser.add_argument("--repo-url", default=None, help="GitHub repository URL, for edit links (default: $REPO_URL)")
    parser.add_argument("--workers", type=int, default=None, help="processes rendering code pages (default: CPUs)")
    parser.add_argument("--github-annotations", action="store_true",
                        help="also print problems as GitHub Actions annotations")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate content/ only")
    commands.add_parser("check-links", help="fetch every policy URL (needs a network; skipped with a message without one)")
    commands.add_parser("content-report", help="how many code pages have their own, inherited or no plain language")
    commands.add_parser("docs", help="validate and write the staging docs folder and MkDocs config")
    commands.add_parser("build", help="validate, write the docs and build the site with MkDocs (strict)")
    schema_doc = commands.add_parser("schema-doc", help="write or check content/SCHEMA.md")
    schema_doc.add_argument("--check", action="store_true", help="fail if content/SCHEMA.md is out of date")
    serve = commands.add_parser("serve", help="serve site/ and re-render the pages an edited record changes")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    data = commands.add_parser("data", help="download the official CMS files from cms.gov and the reference data "
                                            "from PyPI, and verify them")
    data.add_argument("--into", type=Path, default=None, help="target folder (default: $OMC_CMS_DATA or build/data/cms)")
    data.add_argument("--reference-only", action="store_true",
                      help="only the reference data (the CMS files are found elsewhere, e.g. ../shared/data/cms)")
    search = commands.add_parser("search", help="search the built site's index, ranked as in the browser")
    search.add_argument("query", help='a code, prefix, range or words, e.g. "E11.6" or "chemo infusion"')
    search.add_argument("--index", type=Path, default=None, help="index folder (default: <site>/assets/search/index)")
    search.add_argument("--system", action="append", choices=ALL_SYSTEMS, help="only this code system (repeatable)")
    search.add_argument("--billable-only", action="store_true", help="leave out headers")
    search.add_argument("--include-terminated", action="store_true", help="include terminated HCPCS codes")
    search.add_argument("--limit", type=_positive, default=10, help="results to print (default: 10)")
    new = commands.add_parser("new", help="scaffold content/<system>/<code>.yaml with every field, commented")
    new.add_argument("system", help="code system: cpt, icd10cm, icd10pcs or hcpcs")
    new.add_argument("code", help="the code, e.g. 96418")
    return parser


def _official(args: argparse.Namespace, reference: bool = False) -> OfficialCodes:
    """The official releases; with ``reference``, also the coders' reference data (only pages show it)."""
    official = load_official(args.systems, cms_data=args.cms_data, icd10cm_xml=args.icd10cm_xml,
                             verify=not args.unverified_data, reference_data=args.reference_data,
                             edition=_chosen_edition(args), reference=reference)
    if args.cpt_descriptors is not None and "cpt" in args.systems:
        from .sources.cpt_descriptors import read_cpt_descriptors

        official.cpt_descriptors = read_cpt_descriptors(args.cpt_descriptors)
    return official


def _write_docs(args: argparse.Namespace, timings: dict[str, float]) -> tuple[Path, str]:
    started = time.perf_counter()
    with heartbeat("read official data"):
        official = _official(args, reference=True)
    timings["read official data"] = time.perf_counter() - started
    with heartbeat("validate content"):
        content = load_content(args.content, shown_root=args.content.resolve().parent, official=official)
    timings["validate content"] = time.perf_counter() - started - sum(timings.values())
    catalog = Catalog(content, official)
    site = SiteSettings.from_options(args.site_url, args.repo_url, build_date=args.build_date)
    docs_dir = args.build_dir / "docs"
    result = write_docs(catalog, site, args.templates, docs_dir, workers=args.workers)
    timings.update(result.timings)
    config = args.build_dir / "mkdocs.yml"
    write_mkdocs_config(args.mkdocs_config, docs_dir, result.nav, config, site_url=site.site_url)
    summary = (f"{result.code_pages:,} code pages ({result.code_page_bytes / 1e6:,.1f} MB), "
               f"{result.index_pages:,} index pages and a search index of {result.search.documents:,} documents "
               f"({result.search.bytes / 1e6:,.1f} MB in {result.search.files:,} files)")
    return config, summary


def _serve(args: argparse.Namespace) -> int:
    from .preview import Preview, serve_folder, watch

    if not (args.site_dir / "index.html").exists():
        print(f"{args.site_dir} has no site yet: building it first")
        config, _ = _write_docs(args, {})
        build_site(config, args.site_dir)
    official = _official(args, reference=True)
    shown_root = args.content.resolve().parent
    preview = Preview(lambda: load_content(args.content, shown_root=shown_root, official=official), official,
                      SiteSettings.from_options(args.site_url, args.repo_url, build_date=args.build_date), args.templates,
                      [args.site_dir, args.build_dir / "docs"])
    server = serve_folder(args.site_dir, args.port)
    print(f"serving {args.site_dir} at http://127.0.0.1:{server.server_address[1]}/ ; "
          f"watching {args.content} (Ctrl-C to stop)", flush=True)
    try:
        watch(preview, args.content)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def _warn_if_not_in_release(args: argparse.Namespace) -> None:
    """``make new`` for a code the official release does not have: say so before scaffolding it."""
    from .scaffold import identity

    system, code = identity(args.system, args.code)
    if system not in OFFICIAL_SYSTEMS:
        return
    args.systems = (system,)
    official = _official(args)
    if not official.describes(system, code):
        print(f"warning: {code!r} is not in the official {SYSTEMS[system].name} release this site is built from; "
              "the record will not pass `make check` unless it is marked `draft: true` (waiting for a future edition)",
              file=sys.stderr)


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
    if args.command == "serve":
        return _serve(args)
    if args.command == "data":
        from .sources import cms_files, reference_files

        if not args.reference_only:
            target = args.into or Path(os.environ.get(cms_files.ENVIRONMENT_VARIABLE) or cms_files.DOWNLOADED_DATA)
            for path in cms_files.download(target, _chosen_edition(args)):
                print(f"verified {path}")
        target = args.reference_data or Path(os.environ.get(reference_files.ENVIRONMENT_VARIABLE)
                                             or reference_files.DOWNLOADED_DATA)
        for path in reference_files.download(target):
            print(f"verified {path}")
        return 0
    if args.command == "search":
        from .search_query import run_command

        return run_command(args)
    if args.command == "new":
        _warn_if_not_in_release(args)
        path = write_scaffold(args.content, args.system, args.code)
        print(f"wrote {path.relative_to(args.content.resolve().parent).as_posix()}: "
              "fill in the required fields, then run `make check`")
        return 0
    if args.command == "check-links":
        return _check_links(args)
    if args.command == "content-report":
        from .pages import page_builders
        from .pages.build import page_settings
        from .report import content_report, format_report

        official = _official(args, reference=True)
        catalog = Catalog(load_content(args.content, shown_root=args.content.resolve().parent, official=official), official)
        settings, _ = page_settings(catalog, SiteSettings.from_options(args.site_url, args.repo_url,
                                                                       build_date=args.build_date), args.templates)
        report = content_report(catalog, page_builders(catalog, settings))
        print(format_report(report, {key: system.name for key, system in SYSTEMS.items()}))
        return 0
    if args.command == "check":
        official = _official(args)
        content = load_content(args.content, shown_root=args.content.resolve().parent, official=official)
        unread = [SYSTEMS[system].name for system in OFFICIAL_SYSTEMS if system not in official.systems()]
        for warning in content.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if content.warnings:
            print(f"{len(content.warnings)} warnings (they do not stop the build)", file=sys.stderr)
        print(f"content OK: {len(content.records)} code records, {len(content.policies)} policies, "
              f"{sum(len(f) for f in content.families.values())} families, {len(content.vocabulary)} vocabulary entries "
              f"({time.perf_counter() - started:.1f} s)"
              + (f"; {', '.join(unread)} codes were not checked against their releases (not read: --systems)"
                 if unread else ""))
        return 0
    with build_lock(args.build_dir):
        recover(args.site_dir)
        try:
            return _build(args, started)
        finally:
            finish_deletions()


def _check_links(args: argparse.Namespace) -> int:
    from .links import check_links, network_available

    content = load_content(args.content, shown_root=args.content.resolve().parent, official=_official(args))
    if not network_available():
        print("check-links: no network here (www.cms.gov does not resolve); skipped, nothing was checked")
        return 0
    results = check_links(content.policies)
    broken = [(policy, result) for policy, result in results if not result.ok]
    for policy, result in broken:
        answer = f"HTTP {result.status}" if result.status is not None else "no answer"
        print(f"{policy.source_path}: url: {answer}{f' ({result.error})' if result.error else ''}: {policy.url}")
    print(f"check-links: {len({result.url for _, result in results})} URLs of {len(results)} policies checked, "
          f"{len({result.url for _, result in broken})} broken")
    return 1 if broken else 0


def _build(args: argparse.Namespace, started: float) -> int:
    timings: dict[str, float] = {}
    config, summary = _write_docs(args, timings)
    print(f"wrote {summary} to {args.build_dir / 'docs'} ({time.perf_counter() - started:.1f} s)")
    if args.command == "build":
        mkdocs_started = time.perf_counter()
        build_site(config, args.site_dir)
        timings["mkdocs"] = time.perf_counter() - mkdocs_started
        print(f"built {args.site_dir} in {time.perf_counter() - started:.1f} s")
    print("time: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(_query_not_option(list(sys.argv[1:] if argv is None else argv)))
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
    except KeyboardInterrupt:
        target = getattr(args, "site_dir", None)
        print(f"interrupted; {target or 'site/'} unchanged", file=sys.stderr)
        return 130
