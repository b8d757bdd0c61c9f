"""Issue 3: ``import sblgen`` time relative to ``import pydantic, jinja2``."""

from __future__ import annotations

import subprocess
import sys
import time

from run import Figure


def _import_time(statement: str, rounds: int = 15) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def figures() -> list[Figure]:
    _import_time("import sblgen", 2)  # warm the file cache for both
    baseline = _import_time("import pydantic, jinja2")
    ours = _import_time("import sblgen")
    # `import pydantic` is itself lazy; the honest second figure includes first use.
    model_baseline = _import_time(
        "import jinja2; from pydantic import BaseModel\nclass M(BaseModel):\n    a: int = 1"
    )
    first_use = _import_time("import sblgen; sblgen.Session(coupon='X').to_json()")
    return [
        Figure(
            "import sblgen / import pydantic, jinja2 (wall, median)",
            ours / baseline,
            1.3,
            "<=",
            f"sblgen {ours * 1000:.0f} ms, baseline {baseline * 1000:.0f} ms",
        ),
        Figure(
            "import+first Session.to_json / pydantic model+jinja2",
            first_use / model_baseline,
            1.3,
            "<=",
            f"sblgen {first_use * 1000:.0f} ms, baseline {model_baseline * 1000:.0f} ms "
            "(informational: includes building sblgen's validators)",
        ),
    ]
