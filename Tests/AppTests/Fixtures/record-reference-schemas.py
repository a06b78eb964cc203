"""Records the component schemas of the reference template's models, as FastAPI documents them.

The FastAPI peer (Benchmarks/fastapi-peer/app.py) declares the template's models as the template does;
its document's components are what clients generated from the template's document expect. Run from
the repository root with the peer's requirements installed:

    DATABASE_URL=postgresql+psycopg://unused@127.0.0.1:1/unused \
        python Tests/AppTests/Fixtures/record-reference-schemas.py
"""

import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(root / "Benchmarks" / "fastapi-peer"))

import app  # noqa: E402

components = app.app.openapi()["components"]["schemas"]
target = pathlib.Path(__file__).with_name("reference-schemas.json")
target.write_text(json.dumps(components, indent=2, sort_keys=True) + "\n")
print(f"wrote {len(components)} schemas to {target}")
