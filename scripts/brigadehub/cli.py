"""The brigadehub command: the only place that reads arguments, prints and chooses the exit code."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import yaml

from brigadehub import pipeline
from brigadehub.contrib import codeowners, fmt, github, issueform, scaffold
from brigadehub.core import model
from brigadehub.core.model import TOKYO
from brigadehub.core.validate import Checked, check_paths
from brigadehub.events import snapshot
from brigadehub.pipeline import brigade_files

SCHEMA_FILE = "schema.json"
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
    parser = argparse.ArgumentParser(prog="brigadehub",
                                     description="Brigade Hub: the directory of Japan's civic-tech brigades.")
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
    build.add_argument("--builder", choices=("mkdocs", "zensical"), default="mkdocs",
                       help="the site builder: MkDocs (default) or Zensical, from pip install '.[zensical]'")
    _add_data(build)
    _add_today(build)
    build.set_defaults(run=run_build)

    serve = commands.add_parser("serve", help="generate the pages and serve the site at http://127.0.0.1:8000/")
    _add_brigades(serve)
    serve.add_argument("--address", default="127.0.0.1:8000")
    _add_data(serve)
    _add_today(serve)
    serve.set_defaults(run=run_serve)

    schema = commands.add_parser("schema", help="write brigades/schema.json from the model")
    schema.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    _add_brigades(schema)
    schema.set_defaults(run=run_schema)

    _add_fetch_command(commands)
    _add_contributing_commands(commands)
    return parser


def _add_brigades(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--brigades", type=Path, default=Path("brigades"), metavar="DIR",
                        help="the folder of brigade files (default: brigades)")


def _add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="the day the pages stand on (default: $BRIGADEHUB_TODAY, else today in Japan)")


def today_of(args) -> date:
    return args.today or pipeline.build_day()


def _add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                        help="the folder of fetched events and the archive (default: data)")


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
        path, text = scaffold.create(args, args.brigades, args.date or datetime.now(model.TOKYO).date())
    except scaffold.Refused as refused:
        for line in refused.lines:
            print(line, file=sys.stderr)
        return 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}; check it with: brigadehub validate {path}")
    return 0


def generate_pages(brigades_dir: Path, data_dir: Path, today: date, quiet: bool = False) -> bool:
    """Run the pipeline into docs/; print problems and return False when something is wrong."""
    result = pipeline.generate_site(brigades_dir, data_dir, today, parallel=True)
    if result.checked.problems:
        report_problems(result.checked)
        return False
    if result.error:
        print(f"brigadehub: {result.error}", file=sys.stderr)
        return False
    written = result.written
    if not quiet or written.changed or written.removed:
        print(f"generated {written.changed} changed, {written.unchanged} unchanged and {written.removed} removed files "
              f"from {_count(result.checked.files, 'brigade')} and {_count(result.events, 'event')}")
    return True


def run_build(args) -> int:
    if not generate_pages(args.brigades, args.data, today_of(args)):
        return 1
    if args.builder == "zensical":
        return build_with_zensical(args)
    # The pages were just generated; the hook need not do it again for this single build.
    return build_editions(args.site, {**os.environ, **MKDOCS_ENV, **_hook_env(args), "BRIGADEHUB_GENERATED": "1"})


def build_editions(site: Path, env: dict[str, str]) -> int:
    """Build the Japanese edition into site/ and the English one into site/en/, with MkDocs --strict.

    The two build side by side, a core each. The English one builds beside the site and moves into it when both
    are done: MkDocs empties its site folder as it starts, and site/en/ is inside site/.
    """
    aside = site.with_name(site.name + ".en")
    builds = [subprocess.Popen(mkdocs_build(config, folder), env=env)
              for config, folder in ((pipeline.CONFIG, site), (pipeline.CONFIG_EN, aside))]
    codes = [build.wait() for build in builds]
    if any(codes):
        shutil.rmtree(aside, ignore_errors=True)
        return next(code for code in codes if code)
    shutil.rmtree(site / "en", ignore_errors=True)
    shutil.move(aside, site / "en")
    return 0


def mkdocs_build(config: Path, site: Path) -> list[str]:
    # Not --quiet: it keeps MkDocs' warnings out of the count that --strict fails on.
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site)]


def build_with_zensical(args) -> int:
    """Build the generated docs/ with Zensical, which reads the same mkdocs.yml and mkdocs.en.yml (not the hook).

    Zensical has no --site-dir: it builds into site/ beside mkdocs.yml, and the site is moved to --site from there.
    """
    if importlib.util.find_spec("zensical") is None:
        print("brigadehub: Zensical is not installed; run: pip install '.[zensical]'", file=sys.stderr)
        return 1
    # One after the other: the English edition's site_dir, site/en, is inside the Japanese one, which --clean empties.
    env = {**os.environ, **_hook_env(args)}
    for config in (pipeline.CONFIG, zensical_config(pipeline.CONFIG_EN, env)):
        command = [sys.executable, "-m", "zensical", "build", "--clean", "--strict", "--config-file", str(config)]
        result = subprocess.run(command, env=env)
        if result.returncode:
            return result.returncode
    built = pipeline.CONFIG.parent / "site"
    if built.resolve() != args.site.resolve():
        shutil.rmtree(args.site, ignore_errors=True)
        shutil.move(built, args.site)
    return 0


def zensical_config(config: Path, env: dict[str, str]) -> Path:
    """The config with its INHERIT merged in, beside it (for the relative docs_dir), as Zensical 0.0.73 needs it."""
    from mkdocs.utils.yaml import yaml_load  # MkDocs' own reading: INHERIT merged, !ENV resolved

    saved = dict(os.environ)
    os.environ.update(env)  # the !ENV values, as the build will see them
    try:
        with config.open(encoding="utf-8") as file:
            merged = yaml_load(file)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    merged.pop("hooks", None)
    flat = config.with_name(f".{config.stem}.zensical.yml")
    flat.write_text("# Written by brigadehub build --builder zensical from " + config.name + "\n"
                    + yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return flat


def run_serve(args) -> int:
    if not generate_pages(args.brigades, args.data, today_of(args)):
        return 1
    command = serve_command(args.address)
    # Served at the root of the address, not under the deployed site's path.
    local = {"BRIGADEHUB_SITE_URL": os.environ.get("BRIGADEHUB_SITE_URL", f"http://{args.address}/")}
    local.update(edition_urls(local["BRIGADEHUB_SITE_URL"]))
    return subprocess.run(command, env={**os.environ, **MKDOCS_ENV, **_hook_env(args), **local}).returncode


def serve_command(address: str) -> list[str]:
    """MkDocs serving; --dirty: after a save it renders only the pages whose Markdown changed (mkdocs_hooks.py)."""
    return [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--dev-addr", address]


def _hook_env(args) -> dict[str, str]:
    # scripts/mkdocs_hooks.py regenerates from the same folders when serve sees an edit; MkDocs dates its
    # sitemap from SOURCE_DATE_EPOCH, so the build's day fixes those bytes too.
    today = today_of(args)
    epoch = int(datetime(today.year, today.month, today.day, tzinfo=TOKYO).timestamp())
    return {"BRIGADEHUB_BRIGADES": str(args.brigades.resolve()), "BRIGADEHUB_DATA": str(args.data.resolve()),
            "BRIGADEHUB_TODAY": today.isoformat(),
            "SOURCE_DATE_EPOCH": str(epoch), **edition_urls()}


def edition_urls(site_url: str | None = None) -> dict[str, str]:
    """The English edition's address, en/ under the Japanese one's (mkdocs.en.yml reads it; YAML cannot join)."""
    site_url = site_url or os.environ.get("BRIGADEHUB_SITE_URL")
    if not site_url:
        return {}
    return {"BRIGADEHUB_SITE_URL_EN": site_url.rstrip("/") + "/en/"}


def run_schema(args) -> int:
    text = json.dumps(model.brigade_schema(), ensure_ascii=False, indent=2) + "\n"
    return write_or_check(args.brigades / SCHEMA_FILE, text, args.check, "brigadehub schema")


def write_or_check(path: Path, text: str, check: bool, command: str) -> int:
    """Write a generated file that is committed, or with check only say whether it is stale."""
    current = pipeline.write_committed(path, text, check)
    if check and not current:
        print(f"{path} is out of date; run: {command}", file=sys.stderr)
        return 1
    print(f"{path} is up to date" if check else f"wrote {path}")
    return 0


# ---- the contributor tools: fmt, codeowners, from-issue, linkcheck ----

CODEOWNERS_FILE = Path(".github/CODEOWNERS")
ISSUE_FORM = Path(".github/ISSUE_TEMPLATE/add-brigade.yml")


def _add_contributing_commands(commands) -> None:
    for add in (_add_fmt, _add_codeowners, _add_from_issue, _add_linkcheck):
        add(commands)


def _add_fmt(commands) -> None:
    fmt_ = commands.add_parser("fmt", help="rewrite brigade files into the canonical order and style, keeping comments")
    fmt_.add_argument("paths", nargs="*", type=Path, help="files or folders (default: every .yml in --brigades)")
    fmt_.add_argument("--check", action="store_true",
                      help="change nothing; exit 1 and print the fix if any file is not canonical")
    _add_brigades(fmt_)
    fmt_.set_defaults(run=run_fmt)


def _add_codeowners(commands) -> None:
    owners = commands.add_parser("codeowners", help="write .github/CODEOWNERS from the maintainers of each brigade")
    owners.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    owners.add_argument("--output", type=Path, default=CODEOWNERS_FILE, metavar="FILE")
    _add_brigades(owners)
    owners.set_defaults(run=run_codeowners)


def _add_from_issue(commands) -> None:
    issue = commands.add_parser("from-issue", help="turn a submitted add-brigade issue form into a brigade file")
    issue.add_argument("body", type=Path, help="the issue's body, saved to a file ('-' reads standard input)")
    issue.add_argument("--issue", type=int, metavar="N", help="the issue's number, for the sources and the branch")
    issue.add_argument("--author", metavar="LOGIN", help="who opened the issue (a GitHub login)")
    issue.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                       help="the day of the answers (default: today in Tokyo)")
    issue.add_argument("--form", type=Path, default=ISSUE_FORM, metavar="FILE",
                       help=f"the issue form (default: {ISSUE_FORM})")
    issue.add_argument("--commit", action="store_true", help="also commit the file on a new branch add-brigade/…")
    _add_brigades(issue)
    issue.set_defaults(run=run_from_issue)


def _add_linkcheck(commands) -> None:
    links = commands.add_parser("linkcheck",
                                help="check every brigade's website and links; write data/health/links.json")
    links.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                       help="where reports go (default: data)")
    links.add_argument("--summary", type=Path, metavar="FILE", help="also write the tracking issue's Markdown here")
    links.add_argument("--file-href", metavar="PATTERN",
                       help="link pattern for brigade files in the summary, with {id}")
    # No defaults here: they are health.Settings', and importing health would load requests for every command.
    links.add_argument("--timeout", type=float, metavar="S", help="seconds for each request")
    links.add_argument("--delay", type=float, metavar="S", help="pause between requests to one host")
    links.add_argument("--workers", type=int, metavar="N", help="hosts checked at once")
    links.add_argument("--now", type=_aware_time, metavar="TIME",
                       help="the time the report gives as checked_at, e.g. 2026-11-26T12:00:00+09:00 (default: now)")
    _add_brigades(links)
    links.set_defaults(run=run_linkcheck)


def run_fmt(args) -> int:
    paths = [f for p in args.paths for f in (sorted(p.glob("*.yml")) if p.is_dir() else [p])] if args.paths \
        else sorted(args.brigades.glob("*.yml"))
    found = fmt.format_paths(paths, args.check)
    for path, reason in found.failed:
        print(f"{path}: {reason}", file=sys.stderr)
    for path in found.stale if not args.check else []:
        print(f"formatted {path}")
    fix = [*map(str, found.stale)] if args.paths else [] if args.brigades == Path("brigades") \
        else ["--brigades", str(args.brigades)]
    return _report_fmt(args.check, found.stale, len(paths), len(found.failed), shlex.join(["brigadehub", "fmt", *fix]))


def _report_fmt(check: bool, stale: list[Path], total: int, failed: int, fix: str) -> int:
    for path in stale if check else []:
        print(f"{path}: not in the canonical order and style")
    if check and stale:
        print(f"{_count(len(stale), 'file')} to format; fix with: {fix}")
    elif not check:
        print(f"formatted {len(stale)} of {_count(total, 'file')}")
    if failed:
        print(f"{_count(failed, 'file')} could not be formatted; see the lines above", file=sys.stderr)
    elif check and not stale:
        print(f"ok: {_count(total, 'file')} already formatted")
    return 1 if failed or (check and stale) else 0


def run_codeowners(args) -> int:
    checked = pipeline.check_folder(args.brigades)
    if checked.problems:
        report_problems(checked)
        return 1
    folder = PurePosixPath(Path(os.path.relpath(args.brigades)).as_posix())
    text = codeowners.render_codeowners((folder / f"{b.id}.yml", b) for b in checked.brigades)
    return write_or_check(args.output, text, args.check, "brigadehub codeowners")


def run_from_issue(args) -> int:
    """Exit 0: the file is written (stdout: a pull request body); 1: stdout is a comment saying what to fix."""
    try:
        body = sys.stdin.read() if str(args.body) == "-" else args.body.read_text(encoding="utf-8")
        form = issueform.load_form(args.form)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        print(f"brigadehub: cannot read the issue or the form: {error}", file=sys.stderr)
        return 2
    submission = issueform.Submission(args.date or datetime.now(model.TOKYO).date(), args.issue, args.author)
    outcome = issueform.convert(body, form, submission, args.brigades)
    if outcome.problems:
        print(github.render_problems(outcome.problems, form.titles), end="")
        return 1
    try:
        outcome.path.write_text(outcome.text, encoding="utf-8")
    except OSError as error:
        print(f"brigadehub: cannot write the brigade file: {error}", file=sys.stderr)
        return 2
    where = ""
    if args.commit:
        branch = issueform.branch_name(outcome, submission)
        failure = issueform.commit_on_branch(outcome.path, branch, issueform.commit_message(outcome, submission))
        if failure:
            print(f"brigadehub: {failure}", file=sys.stderr)
            return 2
        where = f" and committed it on branch {branch}"
    print(github.render_pull_request(outcome.path.as_posix(), args.issue, args.author), end="")
    print(f"wrote {outcome.path}{where}", file=sys.stderr)
    return 0


def run_linkcheck(args) -> int:
    from brigadehub.contrib import health  # here: it loads requests, which every other command can do without
    from brigadehub.events import http

    checked = pipeline.check_folder(args.brigades)
    if checked.problems:
        report_problems(checked)
        return 1
    given = {name: getattr(args, name) for name in ("timeout", "delay", "workers") if getattr(args, name) is not None}
    settings = health.Settings(**given, policy=http.Policy.from_env(os.environ))
    # checked_at changes on every run, so that the status page can say when links were last checked.
    report = pipeline.check_links(checked, args.data, settings, args.now or datetime.now(model.TOKYO))
    if args.summary:
        args.summary.write_text(github.render_link_issue(report, args.file_href), encoding="utf-8")
    counts = ", ".join(f"{n} {name}" for name, n in report["counts"].items())
    print(f"{counts} of {_count(len(report['links']), 'link')}")
    return 0


# ---- fetch: the one command that touches the network ----


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
    from brigadehub.events import fetch  # imported here: icalendar and the adapters would slow every other command

    if not args.brigades.is_dir():
        print(f"brigadehub: no folder {args.brigades}; run from the repository or pass --brigades DIR", file=sys.stderr)
        return 1
    checked = pipeline.check_folder(args.brigades)
    if checked.problems:
        report_problems(checked)
        print("brigadehub: fix the brigade files first; nothing was fetched", file=sys.stderr)
        return 1
    # The calendar libraries warn in words that quote the feed (a TZID they guessed); the fetch log is public, and
    # what matters about a feed is in the report, in our words.
    warnings.filterwarnings("ignore", module=r"(icalendar|recurring_ical_events|x_wr_timezone)(\.|$)")
    try:
        settings = fetch.Settings.from_env(os.environ)
    except fetch.SettingsError as error:  # only the settings' own error: any other ValueError is a fault to show
        print(f"brigadehub: {error}", file=sys.stderr)
        return 1
    try:
        fetched, touched = pipeline.fetch_events(checked, args.data, settings, args.now or datetime.now(model.TOKYO))
    except snapshot.SnapshotError as error:
        print(f"brigadehub: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"brigadehub: cannot write to {args.data}: {error.strerror or error}", file=sys.stderr)
        return 1
    print_fetch_report(fetched.report, touched, args.data)
    return 0


def print_fetch_report(report: dict, touched: list[Path], data: Path) -> None:
    """One notice per skipped platform, one line per failed, partly read or quiet source, then the counts."""
    rows = report["sources"]
    for reason, n in sorted(Counter(r["reason"] for r in rows if r["status"] == "skipped").items()):
        print(f"notice: skipped {_count(n, 'source')}: {reason}")
    for row in rows:
        for line in _fetch_lines(row):
            print(line)
    summary = report["summary"]
    items = summary.get("skipped_items", 0)
    print(f"fetched {_count(len(rows), 'source')}: {summary['ok']} ok, {summary['not_modified']} not modified, "
          f"{summary['failed']} failed, {summary['skipped']} skipped; "
          + (f"{_count(items, 'item')} left out; " if items else "")
          + f"{_count(len(touched), 'file')} changed in {data / snapshot.EVENTS_DIR}")


def _fetch_lines(row: dict) -> list[str]:
    """What a source's report row has to say, a line each: failed, partly read, went quiet, silent."""
    where = f"{row['brigade']}: {row['type']} {row.get('group') or row.get('url')}"
    lines = []
    if row["status"] == "failed":
        lines.append(f"failed {where}: {row['reason']}; kept {_count(row['stored'], 'stored event')}")
    if row.get("skipped_count"):
        named = "; ".join(f"{s['item']}: {s['reason']}" for s in row["skipped_items"][:3])
        more = row["skipped_count"] - min(3, len(row["skipped_items"]))
        lines.append(f"partial {where}: left out {_count(row['skipped_count'], 'item')} ({named}"
                     + (f"; and {more} more" if more else "") + ")")
    if row["went_quiet"]:
        lines.append(f"quiet {where}: had {_count(row['upcoming_before'], 'upcoming event')}, now none")
    if row.get("silent"):
        lines.append(f"silent {where}: no event for {row['days_since_last_event']} days, "
                     f"usually one every {row['usual_gap_days']}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
