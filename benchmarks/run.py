"""`make bench`: run the benchmarks and write reports/bench/results.json (and print it)."""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

from assistant.settings import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "data"


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["training", "nlu", "retrieval"], help="run one group")
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic corpus sizes in chunks")
    parser.add_argument("--real-embedding-limit", type=int, default=10_000,
                        help="larger synthetic corpora embed this many chunks for real and reuse their vectors")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "bench")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": platform.machine(),
        "python": platform.python_version(), "cores": __import__("os").cpu_count(),
    }
    if args.only in (None, "training"):
        from benchmarks import training

        with tempfile.TemporaryDirectory() as tmp:
            results["training"] = training.run(Path(tmp))
        _write(results, args.out)
    if args.only in (None, "nlu"):
        from benchmarks import nlu

        with tempfile.TemporaryDirectory() as tmp:
            results["nlu"] = nlu.run(Path(tmp) / "var")
        _write(results, args.out)
    if args.only in (None, "retrieval"):
        from benchmarks import retrieval

        sizes = [int(s) for s in args.sizes.split(",") if s]
        results["retrieval"] = retrieval.run(
            sizes, SHARED / "bokjiro" / "vd_base_v2_refined.json", real_limit=args.real_embedding_limit
        )
        _write(results, args.out)


def _write(results: dict[str, object], out: Path) -> None:
    """Merge this run's groups into results.json: `--only nlu` keeps the other groups' figures."""
    path = out / "results.json"
    if path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            previous = {}
        results = {**previous, **results}
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
