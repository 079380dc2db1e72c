"""The brigadehub command: the only place that reads arguments, prints and chooses the exit code."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from . import generate, model, scaffold, snapshot
from .validate import Checked, check_paths

SCHEMA_FILE = "schema.json"
DOCS = Path("docs")
# Material 9.8 prints a notice about MkDocs 2.0 on every build; the README covers the plan (Zensical).
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brigadehub", description="Brigade Hub: the directory of Japan's civic-tech brigades.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check brigade files; exit 1 if anything is wrong")
    validate.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all of --brigades)")
    _add_brigades(validate)
    validate.set_defaults(run=run_validate)

    new = commands.add_parser("new", help="write a new brigade file from a few answers")
    scaffold.add_arguments(new)
    _add_brigades(new)
    new.set_defaults(run=run_new)

    build = commands.add_parser("build", help="validate, generate the pages and build the site with mkdocs --strict")
    _add_brigades(build)
    build.add_argument("--site", type=Path, default=Path("site"), metavar="DIR", help="where to build (default: site)")
    build.set_defaults(run=run_build)

    serve = commands.add_parser("serve", help="generate the pages and serve the site at http://127.0.0.1:8000/")
    _add_brigades(serve)
    serve.add_argument("--address", default="127.0.0.1:8000")
    serve.set_defaults(run=run_serve)

    schema = commands.add_parser("schema", help="write brigades/schema.json from the model")
    schema.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    _add_brigades(schema)
    schema.set_defaults(run=run_schema)

    _add_fetch_command(commands)
    return parser


def _add_brigades(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--brigades", type=Path, default=Path("brigades"), metavar="DIR",
                        help="the folder of brigade files (default: brigades)")


def _add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                        help="the folder of fetched events and the archive (default: data)")


def brigade_files(folder: Path) -> list[Path]:
    """List a folder's brigade files; names starting with '_' are templates, not brigades."""
    return sorted(p for p in folder.glob("*.yml") if not p.name.startswith("_"))


def _expand(paths: Sequence[Path]) -> list[Path]:
    return [file for path in paths for file in (brigade_files(path) if path.is_dir() else [path])]


def run_validate(args) -> int:
    if not args.brigades.is_dir() and not args.paths:
        print(f"brigadehub: no folder {args.brigades}; run from the repository or pass --brigades DIR", file=sys.stderr)
        return 1
    paths = _expand(args.paths) if args.paths else brigade_files(args.brigades)
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"brigadehub: no such file: {missing[0]}", file=sys.stderr)
        return 1
    known = [p.stem for p in brigade_files(args.brigades)] if args.brigades.is_dir() else []
    checked = check_paths(paths, known)
    report_problems(checked)
    return 1 if checked.problems else 0


def report_problems(checked: Checked) -> None:
    """Print one line per problem, plus GitHub annotations when running in Actions."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in checked.problems:
        print(problem)
        if annotate:
            print(github_annotation(problem))
    if checked.problems:
        files = len({p.path for p in checked.problems})
        print(f"check failed: {_count(len(checked.problems), 'error')} in {_count(files, 'file')}")
    else:
        print(f"ok: {_count(checked.files, 'file')} checked")


def github_annotation(problem: model.Problem) -> str:
    def escape(text: str, extra: str = "") -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if extra else text

    return (f"::error file={escape(problem.path, 'p')},line={problem.line},col={problem.column},"
            f"title={escape(problem.field, 'p')}::{escape(problem.message)}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def run_new(args) -> int:
    try:
        path, text = scaffold.create(args, args.brigades)
    except scaffold.Refused as refused:
        for line in refused.lines:
            print(line, file=sys.stderr)
        return 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}; check it with: brigadehub validate {path}")
    return 0


def generate_pages(brigades_dir: Path, quiet: bool = False) -> bool:
    """Validate and generate; print problems and return False when the files are not valid."""
    checked = check_paths(brigade_files(brigades_dir))
    if checked.problems:
        report_problems(checked)
        return False
    written = generate.write_outputs(DOCS, generate.render_outputs(checked.brigades))
    if not quiet or written.changed or written.removed:
        print(f"generated {written.changed} changed, {written.unchanged} unchanged and {written.removed} removed files "
          f"from {_count(checked.files, 'brigade')}")
    return True


def run_build(args) -> int:
    if not generate_pages(args.brigades):
        return 1
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(args.site)]
    return subprocess.run(command, env={**os.environ, **MKDOCS_ENV, **_hook_env(args)}).returncode


def run_serve(args) -> int:
    if not generate_pages(args.brigades):
        return 1
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", args.address]
    return subprocess.run(command, env={**os.environ, **MKDOCS_ENV, **_hook_env(args)}).returncode


def _hook_env(args) -> dict[str, str]:
    # scripts/mkdocs_hooks.py regenerates from the same folders when serve sees an edit.
    return {"BRIGADEHUB_BRIGADES": str(args.brigades.resolve())}


def run_schema(args) -> int:
    path = args.brigades / SCHEMA_FILE
    text = json.dumps(model.brigade_schema(), ensure_ascii=False, indent=2) + "\n"
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if args.check:
        if current != text:
            print(f"{path} is out of date; run: brigadehub schema", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    if current != text:
        path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


# ---- fetch (issue 4): the one command that touches the network ----


def _add_fetch_command(commands) -> None:
    command = commands.add_parser(
        "fetch", help="fetch events from connpass, Doorkeeper and iCal feeds into DATA/events/ (needs the network)",
        description="Keys come from CONNPASS_API_KEY and DOORKEEPER_TOKEN; a platform without one is skipped.")
    _add_brigades(command)
    _add_data(command)
    command.add_argument("--now", type=_aware_time, metavar="TIME",
                         help="fetch as if it were this time, e.g. 2026-11-26T12:00:00+09:00 (default: now)")
    command.set_defaults(run=run_fetch)


def _aware_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment.astimezone(model.TOKYO)


def run_fetch(args) -> int:
    """Fetch every source; exit 0 when each was tried (the report says which failed), 1 when nothing could run."""
    from . import fetch  # here, not at the top: requests and icalendar would slow every other command down
    if not args.brigades.is_dir():
        print(f"brigadehub: no folder {args.brigades}; run from the repository or pass --brigades DIR", file=sys.stderr)
        return 1
    checked = check_paths(brigade_files(args.brigades))
    if checked.problems:
        report_problems(checked)
        print("brigadehub: fix the brigade files first; nothing was fetched", file=sys.stderr)
        return 1
    try:
        (args.data / snapshot.EVENTS_DIR).mkdir(parents=True, exist_ok=True)
        settings = fetch.Settings.from_env(os.environ)
        fetched = fetch.fetch_all(checked.brigades, args.data, settings, args.now or datetime.now(model.TOKYO))
        touched = fetch.write_fetched(args.data, fetched)
    except snapshot.SnapshotError as error:
        print(f"brigadehub: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"brigadehub: BRIGADEHUB_FETCH_TIMEOUT must be a number of seconds ({error})", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"brigadehub: cannot write to {args.data}: {error.strerror or error}", file=sys.stderr)
        return 1
    print_fetch_report(fetched.report, touched, args.data)
    return 0


def print_fetch_report(report: dict, touched: list[Path], data: Path) -> None:
    """One notice per skipped platform, one line per failed or quiet source, then the counts."""
    rows = report["sources"]
    for reason, n in sorted(Counter(r["reason"] for r in rows if r["status"] == "skipped").items()):
        print(f"notice: skipped {_count(n, 'source')}: {reason}")
    for row in rows:
        where = f"{row['brigade']}: {row['type']} {row.get('group') or row.get('url')}"
        if row["status"] == "failed":
            print(f"failed {where}: {row['reason']}; kept {_count(row['stored'], 'stored event')}")
        if row["went_quiet"]:
            print(f"quiet {where}: had {_count(row['upcoming_before'], 'upcoming event')}, now none")
    summary = report["summary"]
    print(f"fetched {_count(len(rows), 'source')}: {summary['ok']} ok, {summary['not_modified']} not modified, "
          f"{summary['failed']} failed, {summary['skipped']} skipped; "
          f"{_count(len(touched), 'file')} changed in {data / snapshot.EVENTS_DIR}")


if __name__ == "__main__":
    sys.exit(main())
