"""Re-run the notebooks on a temporary copy of the demo cases and store their outputs.

    .venv/bin/python tests/notebooks/store_outputs.py

Stored outputs must only ever come from the fictional demo cases, and no widget state is kept
(``metadata.widgets`` is removed): nbval then compares the checked cells against these outputs.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="casemap-outputs-"))
    shutil.copytree(REPO / "casefiles" / "demo", home / "casefiles" / "demo")
    os.environ["CASEMAP_HOME"] = str(home / "casefiles")
    os.environ["CASEMAP_EXPORTS"] = str(home / "exports")
    os.environ.pop("QUERY_STRING", None)
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    out["text"] = ""
            if cell.cell_type == "code":
                cell.outputs = [
                    o
                    for o in cell.outputs
                    if not (o.get("output_type") == "stream" and not o.get("text"))
                ]
        nbformat.write(nb, path)
        print(f"stored outputs of {path.relative_to(REPO)}", file=sys.stderr)
    shutil.rmtree(home)


if __name__ == "__main__":
    main()
