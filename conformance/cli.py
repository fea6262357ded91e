"""`conformance`: run the suite and get the compatibility report.

    conformance run [--targets FILE] [--report-dir reports] [-- PYTEST ARGS...]
    conformance report reports/compat.json --format md|html|json|table
    conformance scan [PATH ...]            secret-shaped strings in cassettes/ and reports/
    conformance cleanup [--targets FILE]   delete what crashed live runs left behind
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent


def _run(args: argparse.Namespace) -> int:
    import pytest

    suites = ROOT / "suites"
    if not suites.is_dir():
        print(f"conformance: no suites/ next to {ROOT / 'conformance'}: run it from a clone of the repository", file=sys.stderr)
        return 2
    argv = [str(suites), f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"), "--live",
            "--report-dir", str(Path(args.report_dir).resolve()), "-q", "-p", "no:cacheprovider", "-rfE"]
    if args.targets:
        argv += ["--targets", str(Path(args.targets).resolve())]
    for feature in args.feature:
        argv += ["--feature", feature]
    argv += args.pytest_args
    code = int(pytest.main(argv))
    print(f"\nreport: {Path(args.report_dir) / 'compat.json'} (.md, .html)")
    return code


def _report(args: argparse.Namespace) -> int:
    from .report import load_report, render_markdown
    from .report.html import render_html
    from .report.table import render_matrix

    try:
        report = load_report(Path(args.file))
    except FileNotFoundError:
        print(f"conformance: {args.file}: no such report", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"conformance: {args.file}: not a compat.json report: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    if args.format == "table":
        render_matrix(report)
    elif args.format == "md":
        sys.stdout.write(render_markdown(report))
    elif args.format == "html":
        sys.stdout.write(render_html(report))
    else:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    return 0


def _scan(args: argparse.Namespace) -> int:
    from .scan import main as scan_main

    return scan_main(args.paths)


def _cleanup(args: argparse.Namespace) -> int:
    from .cleanup import main as cleanup_main

    return cleanup_main(args.targets, args.dry_run)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="conformance", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite live (embedded emulator by default) and write the report")
    run.add_argument("--targets", help="targets file (default: targets/emulator.toml, served by the embedded emulator)")
    run.add_argument("--report-dir", default="reports", help="where compat.json/.md/.html go (default: reports)")
    run.add_argument("--feature", action="append", default=[], help="only these features (glob); repeatable")
    run.add_argument("pytest_args", nargs="*", help="extra pytest arguments, after --")
    run.set_defaults(func=_run)
    report = commands.add_parser("report", help="re-render a compat.json")
    report.add_argument("file")
    report.add_argument("--format", choices=("table", "md", "html", "json"), default="table")
    report.set_defaults(func=_report)
    scan = commands.add_parser("scan", help="find secret-shaped strings in cassettes (and reports); non-zero exit on findings")
    scan.add_argument("paths", nargs="*", help="files or directories (default: cassettes/ and reports/ if present)")
    scan.set_defaults(func=_scan)
    clean = commands.add_parser("cleanup", help="delete what crashed live runs left (journaled responses; suite-named files and vector stores)")
    clean.add_argument("--targets", default=os.environ.get("CONFORMANCE_TARGETS"), help="targets file (default: targets/emulator.toml)")
    clean.add_argument("--dry-run", action="store_true", help="only say what would be deleted")
    clean.set_defaults(func=_cleanup)
    return top


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
