"""Every dataset of an output root, read by each reader the README names: do they all agree?

Reads documents, blocks, abstracts, rejects and runs with pandas, pyarrow, DuckDB, Polars and
Spark (pyspark, on Java 17; installed at its pinned version when missing), exactly as the
README shows, and prints the row count each one sees (and current documents). Exits 1 when
they disagree or a reader fails. Spark lives here rather than in the suite: its JVM start-up
alone costs more than many test files.

    make run && .venv/bin/python bench/readers.py [--out output]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

DATASETS = ("documents", "blocks", "abstracts", "rejects", "runs")
PROJECT = Path(__file__).resolve().parent.parent


def counts(out: Path) -> dict[str, dict[str, int]]:
    import duckdb
    import pandas as pd
    import polars as pl
    import pyarrow.dataset as ds

    try:
        import pyspark  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-c", str(PROJECT / "constraints.txt"), "pyspark"], check=True)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[1]").appName("docpipe-readers").config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    seen: dict[str, dict[str, int]] = {}
    try:
        for name in DATASETS:
            folder, glob = out / name, f"{out}/{name}/**/*.parquet"
            seen[name] = {
                "pandas": len(pd.read_parquet(folder)),
                "pyarrow": ds.dataset(folder, format="parquet", partitioning="hive").count_rows(),
                "duckdb": duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)").fetchall()[0][0],
                "polars": pl.read_parquet(glob, hive_partitioning=True).height,
                "spark": spark.read.parquet(str(folder)).count(),
            }
        seen["current documents"] = {
            "pandas": int(pd.read_parquet(out / "documents").is_current.sum()),
            "duckdb": duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/documents/**/*.parquet') WHERE is_current").fetchall()[0][0],
            "polars": pl.read_parquet(f"{out}/documents/**/*.parquet").filter(pl.col("is_current")).height,
            "spark": spark.read.parquet(str(out / "documents")).where("is_current").count(),
        }
    finally:
        spark.stop()
    return seen


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--out", type=Path, default=Path("output"))
    args = arguments.parse_args()
    if not (args.out / "documents").is_dir():
        sys.exit(f"{args.out} holds no datasets: run `make run` (or `docpipe ingest ... --out {args.out}`) first")
    seen = counts(args.out.resolve())
    agree = True
    for name, by_reader in seen.items():
        same = len(set(by_reader.values())) == 1
        agree &= same
        print(f"{name:>18}: " + ", ".join(f"{reader} {count}" for reader, count in by_reader.items()) + ("" if same else "   <- DISAGREE"))
    print("all readers agree" if agree else "readers disagree")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
