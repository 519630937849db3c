"""Refresh benchmark: pull every source of a sources TOML into the national store, twice, and time it.

The first run is a full load (the figures of those sources are deleted first, unless ``--keep``), the second
finds nothing changed. Per source and in total: rows read, changed and skipped, seconds (reading the source
and applying the rows), and the peak resident memory of this process.

    .venv/bin/python -m benchmarks.refresh \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_national \\
        --sources benchmarks/out/sources.national.toml
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, delete, update

import dashboard.sources.refresh as refresh
from dashboard.sources.definitions import Source, load_sources
from dashboard.store.database import make_engine, transaction
from dashboard.store.models import Measurement

from .national import DEFAULT_TOML


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    """Resident set size now, in MB (from /proc; 0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextmanager
def timed_reads(timings: dict[str, float]) -> Iterator[None]:
    """Record how long ``refresh.read_source`` takes, so the source query and the apply can be told apart."""
    original = refresh.read_source

    def read(source: Source) -> list[tuple]:
        start = time.perf_counter()
        try:
            return original(source)
        finally:
            timings[source.name] = time.perf_counter() - start

    refresh.read_source = read
    try:
        yield
    finally:
        refresh.read_source = original


def run_all(engine: Engine, sources: list[Source], label: str) -> dict[str, float]:
    """One refresh of every source, printed as a table; returns the totals."""
    print(f"\n{label}")
    head = ("source", "status", "read", "changed", "skipped", "query s", "apply s", "total s")
    print("  {:<14} {:<6} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8}".format(*head))
    totals = {"read": 0, "changed": 0, "skipped": 0, "query": 0.0, "seconds": 0.0}
    reads: dict[str, float] = {}
    with timed_reads(reads):
        for src in sources:
            start = time.perf_counter()
            result = refresh.run_source(engine, src, trigger="benchmark")
            seconds = time.perf_counter() - start
            query = reads.get(src.name, 0.0)
            print(
                f"  {src.name:<14} {result.status:<6} {result.rows_read:>9,} {result.rows_changed:>9,} "
                f"{result.rows_skipped:>8,} {query:>8.1f} {seconds - query:>8.1f} {seconds:>8.1f}"
            )
            if result.error:
                print(f"    {'error' if result.status != 'ok' else 'problems'}: {result.error[:300]}")
            totals["read"] += result.rows_read
            totals["changed"] += result.rows_changed
            totals["skipped"] += result.rows_skipped
            totals["query"] += query
            totals["seconds"] += seconds
    print(
        f"  {'total':<14} {'':<6} {totals['read']:>9,} {totals['changed']:>9,} {totals['skipped']:>8,} "
        f"{totals['query']:>8.1f} {totals['seconds'] - totals['query']:>8.1f} {totals['seconds']:>8.1f}"
    )
    print(f"  peak RSS {peak_mb():,.0f} MB (process so far), RSS now {current_mb():,.0f} MB")
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.refresh", description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", required=True, help="the national store (benchmarks.national)")
    ap.add_argument("--sources", type=Path, default=DEFAULT_TOML, help="the sources TOML to pull")
    ap.add_argument("--runs", type=int, default=2, help="how many refreshes in a row (default 2)")
    ap.add_argument("--keep", action="store_true", help="keep the figures already pulled (no full load)")
    ap.add_argument(
        "--rewrite",
        action="store_true",
        help="mark the figures already pulled as typed in by hand, so the first run rewrites them all (UPDATE)",
    )
    args = ap.parse_args(argv)
    sources = load_sources(args.sources)
    if not sources:
        ap.error(f"{args.sources}: no sources")
    names = [x.name for x in sources]
    engine = make_engine(args.database_url)
    first = "refresh"
    if args.rewrite:
        with transaction(engine) as s:
            marked = s.execute(update(Measurement).where(Measurement.source.in_(names)).values(source="form")).rowcount
        print(f"marked {marked:,} figures of {', '.join(names)} as typed in: the first run updates every one")
        first = "rewrite every figure"
    elif not args.keep:
        with transaction(engine) as s:
            gone = s.execute(delete(Measurement).where(Measurement.source.in_(names))).rowcount
        print(f"deleted {gone:,} figures of {', '.join(names)}: the first run is a full load")
        first = "full load"
    print(f"start: RSS {current_mb():,.0f} MB")
    results = []
    for n in range(1, args.runs + 1):
        results.append(run_all(engine, sources, f"run {n} ({first if n == 1 else 'nothing changed'})"))
    print("\nsummary: " + "; ".join(f"run {i}: {r['seconds']:.1f} s" for i, r in enumerate(results, start=1)))
    print(f"peak RSS {peak_mb():,.0f} MB")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
