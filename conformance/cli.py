"""`conformance`: run the suite and get the compatibility report.

    conformance run [--targets FILE] [--report-dir reports] [--show-hosts] [--openapi SPEC]
                    [--expect FILE | --expect-update FILE] [-- PYTEST ARGS...]
    conformance report reports/compat.json --format md|html|json|table
    conformance diff OLD.json NEW.json [--format text|md]   exit 1 on a regression
    conformance history REPORTS... [--all]
    conformance merge REPORTS... -o merged.json             the SDK as a dimension
    conformance scan [PATH ...]            secret-shaped strings in cassettes/ and reports/
    conformance cleanup [--targets FILE]   delete what crashed live runs left behind
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

if TYPE_CHECKING:
    from conformance.report.model import Report

ROOT = Path(__file__).resolve().parent.parent


def _run(args: argparse.Namespace) -> int:
    import pytest

    suites = ROOT / "suites"  # in a clone, or installed next to conformance/ in site-packages
    if not suites.is_dir():
        print(f"conformance: no suites/ next to {ROOT / 'conformance'}: reinstall the package (pip install .)", file=sys.stderr)
        return 2
    # Installed there is no pyproject.toml: the plugin sets what the suites need without it.
    config = ["-c", str(ROOT / "pyproject.toml")] if (ROOT / "pyproject.toml").is_file() else []
    argv = [str(suites), f"--rootdir={ROOT}", *config, "--live",
            "--report-dir", str(Path(args.report_dir).resolve()), "-q", "-rfE"]
    if args.targets:
        argv += ["--targets", str(Path(args.targets).resolve())]
    for feature in args.feature:
        argv += ["--feature", feature]
    if args.show_hosts:
        argv.append("--show-hosts")
    if args.openapi:
        argv += ["--openapi", str(Path(args.openapi).resolve())]
    if args.expect:
        argv += ["--expect", args.expect if args.expect == "none" else str(Path(args.expect).resolve())]
    if args.expect_update:
        argv += ["--expect-update", str(Path(args.expect_update).resolve())]
    argv += args.pytest_args
    report = Path(args.report_dir) / "compat.json"
    before = _stamp(report)
    code = int(pytest.main(argv))
    if _stamp(report) in (None, before):
        # A bad targets file, an unknown feature, a preflight that reached no target: pytest
        # printed why and no report was written (an empty one would read as "every cell
        # removed"). One left by an earlier run would be uploaded by CI as this run's: remove it.
        stale = _remove_stale(report)
        print("conformance run: nothing was run (see the ERROR above); no report written"
              + (f"; removed the earlier run's {', '.join(stale)}" if stale else ""), file=sys.stderr)
        return code
    print(f"\nreport: {report} (.md, .html)")
    return code


def _stamp(path: Path) -> Optional[int]:
    """When `path` was last written (ns), or None when it does not exist."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _remove_stale(report: Path) -> list[str]:
    """Delete compat.{json,md,html} beside `report`; return the names removed."""
    removed = []
    for path in (report, report.with_suffix(".md"), report.with_suffix(".html")):
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(str(path))
    return removed


class _BadInput(Exception):
    """A file given on the command line is not a report: exit 2 with its name."""


def _load(path: str) -> "Report":
    from conformance.report import load_report

    try:
        return load_report(Path(path))
    except FileNotFoundError:
        raise _BadInput(f"{path}: no such report") from None
    except ValueError as exc:
        raise _BadInput(f"{path}: not a compat.json report: {str(exc).splitlines()[0]}") from None


def _report(args: argparse.Namespace) -> int:
    from conformance.report import render_markdown
    from conformance.report.html import render_html
    from conformance.report.table import render_matrix

    report = _load(args.file)
    if args.format == "table":
        render_matrix(report)
    elif args.format == "md":
        sys.stdout.write(render_markdown(report))
    elif args.format == "html":
        sys.stdout.write(render_html(report))
    else:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from conformance.report.diff import diff_reports, render_markdown

    result = diff_reports(_load(args.old), _load(args.new))
    if args.format == "md":
        sys.stdout.write(render_markdown(result))
    else:
        for line in result.lines():
            print(line)
    return 1 if result.regressions else 0


def _history(args: argparse.Namespace) -> int:
    from conformance.report.history import history, render_history

    reports = [_load(path) for path in args.reports]
    render_history(history(reports, include_unchanged=args.all), len(reports))
    return 0


def _merge(args: argparse.Namespace) -> int:
    from conformance.report import write_all
    from conformance.report.merge import merge_reports
    from conformance.report.merge import DuplicateSdk

    reports = [_load(path) for path in args.reports]
    try:
        merged = merge_reports(reports)
    except DuplicateSdk as exc:
        same = "; ".join(f"openai {sdk}: " + ", ".join(p for p, r in zip(args.reports, reports) if r.environment.sdk == sdk)
                         for sdk in exc.sdks)
        raise _BadInput(f"two reports of the same SDK ({same}): merge joins one report per SDK; "
                        "keep the one you mean (or `conformance diff` them)") from None
    out = Path(args.output)
    written = write_all(merged, out.parent, stem=out.stem)
    print("merged: " + ", ".join(str(p) for p in written))
    for support in merged.sdk_support:
        print(f"  {support.feature}: oldest SDK that supports it: {support.oldest_supported or 'none'}"
              f" (on every target: {support.oldest_everywhere or 'none'})")
    return 0


def _scan(args: argparse.Namespace) -> int:
    from conformance.recording.scan import main as scan_main

    return scan_main(args.paths)


def _cleanup(args: argparse.Namespace) -> int:
    from conformance.live.cleanup import main as cleanup_main

    return cleanup_main(args.targets, args.dry_run)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="conformance", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the suite live (embedded emulator by default) and write the report")
    run.add_argument("--targets", help="targets file (default: targets/emulator.toml, served by the embedded emulator)")
    run.add_argument("--report-dir", default="reports", help="where compat.json/.md/.html go (default: reports)")
    run.add_argument("--feature", action="append", default=[], help="only these features (glob); repeatable")
    run.add_argument("--show-hosts", action="store_true", help="put the targets' endpoints into the report (masked by default)")
    run.add_argument("--openapi", metavar="SPEC", help="check bodies against this OpenAPI file; deviations are notes, not failures")
    pins = run.add_mutually_exclusive_group()
    pins.add_argument("--expect", metavar="FILE", help="exit 1 when a verdict differs from this expectation file (one line per cell)")
    pins.add_argument("--expect-update", metavar="FILE", help="write the run's verdicts into this expectation file, to compare later runs with")
    run.add_argument("pytest_args", nargs="*", help="extra pytest arguments, after --")
    run.set_defaults(func=_run)
    report = commands.add_parser("report", help="re-render a compat.json")
    report.add_argument("file", help="a compat.json written by a run (or by merge)")
    report.add_argument("--format", choices=("table", "md", "html", "json"), default="table",
                        help="table: the terminal matrix (default); md, html, json: the document, to stdout")
    report.set_defaults(func=_report)
    diff = commands.add_parser("diff", help="transitions between two reports, regressions first (exit 1 on a regression)")
    diff.add_argument("old", help="the earlier compat.json (e.g. the last nightly's)")
    diff.add_argument("new", help="the later compat.json")
    diff.add_argument("--format", choices=("text", "md"), default="text",
                      help="text: one line per transition (default); md: for an issue body or a job summary")
    diff.set_defaults(func=_diff)
    hist = commands.add_parser("history", help="per cell, when its verdict changed across reports")
    hist.add_argument("reports", nargs="+", help="compat.json files, oldest first")
    hist.add_argument("--all", action="store_true", help="also list cells that never changed")
    hist.set_defaults(func=_history)
    merge = commands.add_parser("merge", help="join per-SDK reports into one with the SDK as a dimension")
    merge.add_argument("reports", nargs="+", help="compat.json files, one per openai SDK version")
    merge.add_argument("-o", "--output", required=True, help="the merged .json (.md and .html are written beside it)")
    merge.set_defaults(func=_merge)
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
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # inside the try: a closed pipe is met here, not at interpreter exit
        return code
    except _BadInput as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `conformance diff ... | head`: the reader has what it wanted. Python would print a
        # traceback when it flushes stdout at exit; point stdout at /dev/null instead.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
