"""The `tidings` command: a thin layer over the library."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar
from rich.table import Table

from . import __version__
from .catalog import default_sources
from .db import Store, open_store
from .discovery import discover_source
from .documents import Article, SourceSpec
from .embedding import make_embedder
from .enrich import enrich_stage
from .errors import TidingsError
from .eventing import cluster_file
from .extraction import extract
from .fetching import Fetcher
from .ingest import ingest_paths
from .inputs import InputProblem, iter_pages
from .opml import parse_opml, write_opml
from .pipeline import process
from .polling import fetch_pages, poll_feeds
from .settings import Settings, load_settings
from .social import PostProblem, import_posts, read_posts
from .sources import add_sources, list_sources, remove_source, source_specs, spec_for_url
from .stages import Failure, StageReport
from .status import store_status
from .writing import stories_file, story_record

__all__ = ["main"]

console = Console(stderr=True)
FC = TypeVar("FC", bound=Callable[..., Any])


@dataclass
class Context:
    settings: Settings
    _store: Store | None = None

    def store(self) -> Store:
        """The store, opened (and migrated) on first use and closed when the command ends."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


class BarProgress:
    """Rich progress bars for the stages, on the terminal only."""

    def __init__(self, bar: RichBar) -> None:
        self.bar = bar
        self.tasks: dict[str, Any] = {}

    def start(self, stage: str, total: int) -> None:
        self.tasks[stage] = self.bar.add_task(stage, total=total or None)

    def advance(self, stage: str, count: int = 1) -> None:
        self.bar.advance(self.tasks[stage], count)


@contextmanager
def progress_bars() -> Iterator[BarProgress]:
    columns = (
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with RichBar(*columns, console=console, disable=not console.is_terminal) as bar:
        yield BarProgress(bar)


def _settings_option(name: str, *flags: str, **kwargs: Any) -> Callable[[FC], FC]:
    return click.option(*flags, name, default=None, **kwargs)


@click.group()
@click.version_option(__version__, prog_name="tidings")
@_settings_option(
    "data", "--data", type=click.Path(path_type=Path), help="Data directory [TIDINGS_DATA]."
)
@_settings_option("db", "--db", help="Database URL instead of SQLite [TIDINGS_DB].")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), help="TOML config file.")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
@click.pass_context
def cli(
    ctx: click.Context, data: Path | None, db: str | None, config: Path | None, verbose: int
) -> None:
    """Tidings: one honest, sourced story per real-world event."""
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(
        level=level, handlers=[RichHandler(console=console, show_path=False)], format="%(message)s"
    )
    ctx.obj = Context(load_settings({"data": data, "db": db}, config=config))
    ctx.call_on_close(ctx.obj.close)


pass_context = click.make_pass_decorator(Context)


@cli.command()
@click.option("--defaults/--no-defaults", default=True, help="Add the curated list of outlets.")
@pass_context
def init(ctx: Context, defaults: bool) -> None:
    """Create (or upgrade) the store, with the curated sources unless --no-defaults."""
    store = ctx.store()
    message = f"store ready at {ctx.settings.db or ctx.settings.data} (schema {store.revision()})"
    if defaults:
        report = add_sources(store, default_sources())
        message += f"; {report.sources_added} outlets and {report.feeds_added} feeds added"
    console.print(message)


@cli.group()
def sources() -> None:
    """The outlets and feeds Tidings reads."""


@sources.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def sources_import_opml(ctx: Context, file: Path) -> None:
    """Add the feeds of an OPML file (what feed readers export)."""
    report = add_sources(ctx.store(), parse_opml(file.read_bytes()))
    console.print(
        f"{report.sources_added} outlets and {report.feeds_added} feeds added, "
        f"{report.feeds_known} feeds already known"
    )


@sources.command("export-opml")
@pass_context
def sources_export_opml(ctx: Context) -> None:
    """Write the source list as OPML to standard output."""
    sys.stdout.buffer.write(write_opml(source_specs(ctx.store())))


@sources.command("add")
@click.argument("url")
@click.option("--name", help="Outlet name (default: the feed's host).")
@click.option("--homepage", help="Outlet homepage.")
@click.option("--lang", help="Language code, e.g. en, nb, de.")
@click.option("--country", help="Country code, e.g. NO.")
@click.option("--topic", "topics", multiple=True, help="Topic (repeatable).")
@click.option("--discover", is_flag=True, help="URL is a homepage: add the feeds it advertises.")
@pass_context
def sources_add(ctx: Context, /, url: str, discover: bool, **fields: Any) -> None:
    """Add a feed (or, with --discover, an outlet's homepage and the feeds it advertises)."""
    if discover:
        found = asyncio.run(_discover(ctx.settings, url))
        spec = replace(
            found,
            name=fields["name"] or found.name,
            homepage=fields["homepage"] or found.homepage,
            lang=fields["lang"] or found.lang,
            country=fields["country"] or found.country,
            topics=tuple(fields["topics"]) or found.topics,
        )
    else:
        spec = spec_for_url(url, **fields)
    report = add_sources(ctx.store(), [spec])
    console.print(f"{report.feeds_added} feeds added, {report.feeds_known} already in the list")


async def _discover(settings: Settings, url: str) -> SourceSpec:
    async with Fetcher(settings) as fetcher:
        return await discover_source(fetcher, url)


@sources.command("remove")
@click.argument("name_or_url")
@pass_context
def sources_remove(ctx: Context, name_or_url: str) -> None:
    """Remove an outlet (by name) or one feed (by URL)."""
    console.print(f"removed {remove_source(ctx.store(), name_or_url)}")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet.")
@pass_context
def sources_list(ctx: Context, as_json: bool) -> None:
    """List the outlets and their feeds, with the state of each feed."""
    with ctx.store().session() as session:
        rows = list_sources(session)
        if as_json:
            for s in rows:
                feeds = [{"url": f.url, "status": f.last_status, "error": f.error} for f in s.feeds]
                click.echo(
                    json.dumps(
                        {
                            "name": s.name,
                            "homepage": s.homepage,
                            "lang": s.lang,
                            "country": s.country,
                            "topics": s.topics.split(","),
                            "feeds": feeds,
                        },
                        ensure_ascii=False,
                    )
                )
            return
        table = Table("outlet", "lang", "country", "feed", "status")
        for s in rows:
            for f in s.feeds:
                table.add_row(s.name, s.lang or "", s.country or "", f.url, f.last_status or "new")
        Console().print(table)


def _print_reports(reports: list[StageReport]) -> None:
    table = Table("stage", "done", "failed", "seconds", "per second")
    for r in reports:
        table.add_row(r.stage, str(r.done), str(r.failed), f"{r.seconds:.1f}", f"{r.rate:.1f}")
    console.print(table)
    for r in reports:
        for failure in r.failures[:10]:
            console.print(
                f"[red]{r.stage} failed[/red] {failure.item}: {failure.reason}", highlight=False
            )
        if len(r.failures) > 10:
            console.print(
                f"… and {len(r.failures) - 10} more {r.stage} failures (see `tidings status`)"
            )


async def _fetch(store: Store, settings: Settings, bars: BarProgress) -> list[StageReport]:
    async with Fetcher(settings) as fetcher:
        polled = await poll_feeds(store, fetcher, settings, progress=bars)
        fetched = await fetch_pages(store, fetcher, settings, progress=bars)
    return [polled, fetched]


@cli.command()
@pass_context
def fetch(ctx: Context) -> None:
    """Poll every feed once, fetch the new articles, extract and deduplicate them."""
    store = ctx.store()
    with store.session() as session:
        empty = not list_sources(session)
    if empty:
        report = add_sources(store, default_sources())
        console.print(f"no sources yet: added the curated list ({report.feeds_added} feeds)")
    with progress_bars() as bars:
        reports = asyncio.run(_fetch(store, ctx.settings, bars))
        reports += process(store, ctx.settings, progress=bars)
    _print_reports(reports)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@pass_context
def ingest(ctx: Context, paths: tuple[Path, ...]) -> None:
    """Read saved pages, text files, WARC or JSONL files into the store and process them."""
    store = ctx.store()
    with progress_bars() as bars:
        reports = [ingest_paths(store, paths, progress=bars)]
        reports += process(store, ctx.settings, progress=bars)
    _print_reports(reports)


def _article_json(path: str, article: Article) -> dict[str, Any]:
    return {
        "path": path,
        "url": article.url,
        "title": article.title,
        "text": article.text,
        "lang": article.lang,
        "published": article.published.isoformat() if article.published else None,
        "authors": list(article.authors),
        "image": article.image,
    }


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def extract_command(paths: tuple[Path, ...]) -> None:
    """Print one JSON object per input page: path, url, title, text, lang, published, authors,
    image (or path and error when a page gives no article)."""
    failed = 0
    for item in iter_pages(paths):
        if isinstance(item, InputProblem):
            record: dict[str, Any] = {"path": item.origin, "error": item.reason}
        else:
            try:
                record = _article_json(item.origin, extract(item))
            except TidingsError as exc:
                record = {"path": item.origin, "error": str(exc)}
        failed += "error" in record
        click.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        console.print(f'{failed} pages gave no article (see their "error")')


@cli.command("cluster")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL of articles: id, url, outlet, lang, title, text, published.",
)
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="TSV file."
)
@click.option("--storylines", is_flag=True, help="Add a third column: the storyline id.")
@click.option("--embedder", help="Embedder to use (e5, hashing) [TIDINGS_EMBEDDER].")
@pass_context
def cluster_command(
    ctx: Context, input_path: Path, output: Path, storylines: bool, embedder: str | None
) -> None:
    """Group the articles of a JSONL file into events; write `article_id<TAB>event_id` per
    article, in input order. The store is not touched."""
    placed = cluster_file(input_path, embedder=make_embedder(embedder or ctx.settings.embedder))
    with output.open("w", encoding="utf-8") as handle:
        for article_id, a in placed:
            columns = [article_id, str(a.event_id)] + ([str(a.storyline_id)] if storylines else [])
            handle.write("\t".join(columns) + "\n")
    events = len({a.event_id for _id, a in placed})
    console.print(f"{len(placed)} articles in {events} events written to {output}")


@cli.command("stories")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL of articles: id, url, outlet, lang, title, text, published.",
)
@click.option(
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for one <event_id>.json per story.",
)
@click.option("--writer", help="Writer to use (extractive, chat) [TIDINGS_WRITER].")
@click.option("--embedder", help="Embedder to use (e5, hashing) [TIDINGS_EMBEDDER].")
@pass_context
def stories_command(
    ctx: Context, input_path: Path, output: Path, writer: str | None, embedder: str | None
) -> None:
    """Group the articles of a JSONL file into events as `tidings cluster` does and write a
    story for each event of two or more articles: `<event_id>.json` with every sentence's
    sources. The store is not touched."""
    settings = ctx.settings.model_copy(update={"writer": writer or ctx.settings.writer})
    failures: list[Failure] = []
    stories = stories_file(
        input_path,
        settings=settings,
        embedder=make_embedder(embedder or settings.embedder),
        failures=failures,
    )
    output.mkdir(parents=True, exist_ok=True)
    for story in stories:
        path = output / f"{story.event_id}.json"
        path.write_text(json.dumps(story_record(story), ensure_ascii=False, indent=2) + "\n")
        console.print(
            f"event {story.event_id}: {story.headline.text} ({len(story.outlets)} outlets, "
            f"{story.writer})",
            highlight=False,
            soft_wrap=True,
        )
    for failure in failures:
        console.print(f"[red]failed[/red] {failure.item}: {failure.reason}", highlight=False)
    console.print(f"{len(stories)} stories written to {output}", soft_wrap=True)


@cli.group()
def posts() -> None:
    """Public social posts: what people say about each event."""


@posts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def posts_import(ctx: Context, file: Path) -> None:
    """Store the posts of a JSONL or JSON Feed file (id, network, author, text, lang, url,
    published), then match them to events and update what people say."""
    problems: list[PostProblem] = []
    stored = import_posts(ctx.store(), read_posts(file), problems=problems)
    console.print(f"{stored} new posts stored from {file}")
    for problem in problems[:20]:
        console.print(f"[red]skipped[/red] {problem.origin}: {problem.reason}", highlight=False)
    if len(problems) > 20:
        console.print(f"… and {len(problems) - 20} more records skipped")
    embedder = make_embedder(ctx.settings.embedder)
    with progress_bars() as bars:
        reports = enrich_stage(ctx.store(), ctx.settings, embedder=embedder, progress=bars)
    _print_reports(reports)


@cli.command()
@pass_context
def status(ctx: Context) -> None:
    """Counts per stage, and the latest failures with their reasons."""
    s = store_status(ctx.store())
    table = Table("what", "count", "failed")
    table.add_row("sources", str(s.sources), "")
    table.add_row("feeds", str(s.feeds), str(s.feeds_failing))
    table.add_row("documents", f"{s.documents_stored} stored of {s.documents}", "")
    table.add_row("articles", str(s.articles), "")
    for reason, n in sorted(s.duplicates.items()):
        table.add_row(f"  duplicates: {reason}", str(n), "")
    table.add_row("events", f"{s.events} ({s.events_open} open)", "")
    table.add_row("storylines", str(s.storylines), "")
    table.add_row("stories", str(s.stories), "")
    for stage in s.stages:
        table.add_row(f"stage {stage.stage}", str(stage.done), str(stage.failed))
    out = Console()
    out.print(table)
    for url, reason in s.feed_failures:
        out.print(f"feed {url}: {reason}", highlight=False)
    for stage_name, item, reason in s.item_failures:
        out.print(f"{stage_name} {item}: {reason}", highlight=False)


@cli.group()
def export() -> None:
    """Write what Tidings publishes out as files."""


@export.command("site")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_context
def export_site_command(ctx: Context, directory: Path) -> None:
    """Write the whole site (every edition's pages, feeds, API JSON and images) as static
    files that any web server serves."""
    from .web.export import export_site

    count = export_site(ctx.settings, ctx.store(), directory)
    console.print(f"{count} files written to {directory}")


@cli.command("process")
@pass_context
def process_command(ctx: Context) -> None:
    """Run every stage once over what waits (queued pages, then extraction to enrichment),
    print what each stage did, and exit."""
    from .running import process_waiting

    with progress_bars() as bars:
        reports = process_waiting(ctx.store(), ctx.settings, progress=bars)
    _print_reports(reports)


@cli.command("run")
@click.option("--serve/--no-serve", default=True, help="Serve the site in the same process.")
@click.option("--port", type=int, help="Port of the site [TIDINGS_PORT].")
@pass_context
def run_command(ctx: Context, serve: bool, port: int | None) -> None:
    """Poll the feeds on their schedules, run the stages and serve the site until Ctrl-C.

    Logs go to logs/tidings.log in the data directory as JSON lines."""
    from .running import TerminalDisplay, run

    settings = ctx.settings.model_copy(update={"port": port or ctx.settings.port})
    ctx.store()  # create or upgrade the store before anything else opens it
    with TerminalDisplay(console) as display:

        def serving(url: str) -> None:
            display.site = url
            console.print(f"site at {url} (Ctrl-C to stop)", highlight=False)

        totals = run(settings, serve=serve, observer=display, on_serving=serving)
    done = ", ".join(f"{stage} {n}" for stage, n in totals.done.items() if n) or "nothing new"
    console.print(f"stopped after {totals.cycles} cycles: {done}", highlight=False)


@cli.command("config")
@pass_context
def config_command(ctx: Context) -> None:
    """Print the effective settings and where each came from (default, file, env, flag);
    secrets are masked."""
    import os

    from .running import setting_sources

    params = click.get_current_context().find_root().params
    rows = setting_sources(
        ctx.settings,
        {"data": params.get("data"), "db": params.get("db")},
        config=params.get("config"),
        env=os.environ,
    )
    width = max(len(row.value) for row in rows)
    for row in rows:
        click.echo(f"{row.name:<24} {row.value:<{width}}  ({row.origin})")


@cli.command("doctor")
@click.option("--no-model", is_flag=True, help="Skip loading the e5 model (a few seconds).")
@pass_context
def doctor_command(ctx: Context, no_model: bool) -> None:
    """Check that this installation can run; exit code 1 if any check fails."""
    from .doctor import run_checks

    checks = run_checks(ctx.settings, load_model=not no_model)
    out = Console(soft_wrap=True)
    for check in checks:
        mark = "[green]OK[/green]  " if check.ok else "[red]FAIL[/red]"
        out.print(f"{mark} {check.name}: {check.detail}", highlight=False)
        if not check.ok:
            out.print(f"      fix: {check.fix}", highlight=False)
    if not all(check.ok for check in checks):
        sys.exit(1)


@cli.command("demo")
@click.option("--port", type=int, default=8000, show_default=True, help="Port of the site.")
@click.option("--serve/--no-serve", default=True, help="Serve the site once it is built.")
@pass_context
def demo_command(ctx: Context, port: int, serve: bool) -> None:
    """Build a site from a fictional sample newsroom served on this machine, then serve it.

    Uses its own data directory (~/.local/share/tidings-demo unless --data is given), emptied
    on every run."""
    import os

    from . import demo

    given = click.get_current_context().find_root().params.get("data")
    data = given or (
        Path(os.environ["TIDINGS_DATA"])
        if os.environ.get("TIDINGS_DATA")
        else ctx.settings.data.with_name("tidings-demo")
    )
    site_url = f"http://127.0.0.1:{port}"
    base = ctx.settings.model_copy(update={"host": "127.0.0.1", "port": port, "site_url": site_url})
    demo.prepare_data_dir(data)
    with demo.DemoServer() as newsroom:
        settings = demo.demo_settings(base, newsroom, data=data)
        console.print(f"sample newsroom at {newsroom.base_url}; building into {data}")
        with progress_bars() as bars:
            build = demo.build_demo(settings, newsroom, progress=bars)
    _print_demo(build)
    if serve:
        from .web.app import serve as serve_site

        console.print(f"site at {site_url}/ (Ctrl-C to stop)", highlight=False)
        serve_site(settings)


def _print_demo(build: Any) -> None:
    out = Console(soft_wrap=True)
    out.print(f"built in {build.seconds:.0f} s from {build.posts} social posts and:")
    stages = ", ".join(f"{stage} {s:.1f}" for stage, s in build.stage_seconds.items())
    out.print(f"  seconds per stage: {stages}", highlight=False)
    for what, n in build.counts.items():
        out.print(f"  {n:>4} {what}")
    out.print(f"{len(build.failures)} failures, each recorded with its reason:")
    for what, item, reason in build.failures:
        out.print(f"  {what} {item}: {reason}", highlight=False)


@cli.command("serve")
@click.option("--host", help="Address to listen on [TIDINGS_HOST].")
@click.option("--port", type=int, help="Port to listen on [TIDINGS_PORT].")
@pass_context
def serve_command(ctx: Context, host: str | None, port: int | None) -> None:
    """Serve the site (every edition's pages, feeds and API) over the store until Ctrl-C."""
    from .web.app import serve as serve_site

    where = f"http://{host or ctx.settings.host}:{port or ctx.settings.port}/"
    console.print(f"site at {where} (Ctrl-C to stop)", highlight=False)
    serve_site(ctx.settings, host=host, port=port)


@cli.command("reports")
@click.option("--status", "state", type=click.Choice(["new", "reviewed"]), help="Only these.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per report.")
@pass_context
def reports_command(ctx: Context, state: str | None, as_json: bool) -> None:
    """The inaccuracy reports readers sent, newest first."""
    from .web.feedback import list_reports

    with ctx.store().session() as session:
        rows = list_reports(session, status=state)
    out = Console(soft_wrap=True)
    if as_json:
        for row in rows:
            record = {**row.__dict__, "created_at": row.created_at.isoformat()}
            out.print(json.dumps(record, ensure_ascii=False), highlight=False, markup=False)
        return
    if not rows:
        out.print("no reports")
        return
    table = Table("id", "received", "story", "status", "page", "message", "contact")
    for row in rows:
        story = "" if row.story_id is None else f"{row.story_id} v{row.story_version}"
        table.add_row(
            str(row.id),
            row.created_at.strftime("%Y-%m-%d %H:%M"),
            story,
            row.status,
            row.page,
            row.message,
            row.contact or "",
        )
    out.print(table)


def main() -> None:
    """Entry point: library errors become a message and exit code 1."""
    try:
        cli(standalone_mode=True)
    except TidingsError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)
