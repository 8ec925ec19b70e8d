"""Load, save and list casefiles: the only module that touches casefiles and exports on disk.

Guarantees (tested in tests/casemap/test_store.py):

* ``load`` reports every problem of a file at once, each with the file, the path to the field
  and what was expected; it never modifies a file it could not read.
* ``save`` is atomic (temporary file in the same folder, flush, fsync, rename, fsync folder),
  writes mode 0600, increments ``revision``, sets ``updated`` and appends a HistoryEntry whose
  summary names sections and counts, never case text.
* A save based on an older revision than the file on disk raises :class:`ConflictError` and
  writes nothing. Check-and-write runs under an exclusive lock, so two kernels cannot interleave.
* Folders are created 0700. The casefile folder is ``$CASEMAP_HOME``, else the repository's
  ``casefiles/``; exports go to ``$CASEMAP_EXPORTS``, else the repository's ``exports/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import getpass
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import (
    FORMAT,
    ID_PATTERN,
    Case,
    CaseInvalid,
    HistoryEntry,
    Problem,
    dump_case,
    parse_case,
)

REPO = Path(__file__).resolve().parent.parent
FILE_MODE = 0o600
DIR_MODE = 0o700


class CasefileError(Exception):
    """A casefile that could not be read; ``problems`` lists everything wrong with it."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem: ``PATH: FIELD: MESSAGE`` (the field part may be empty)."""
        return [
            f"{self.path}: {p.path}: {p.message}" if p.path else f"{self.path}: {p.message}"
            for p in self.problems
        ]


class ConflictError(Exception):
    """The file on disk is newer than the case being saved: someone else saved in between."""

    def __init__(self, path: Path, ours: int, theirs: int):
        self.path, self.ours, self.theirs = path, ours, theirs
        super().__init__(
            f"{path}: not saved: this copy is based on revision {ours}, but the file on disk is "
            f"at revision {theirs} (saved from another tab or by someone else)"
        )


# -- folders ---------------------------------------------------------------------------------


def _ensure_dir(path: Path) -> Path:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != DIR_MODE:
        with contextlib.suppress(PermissionError):
            path.chmod(DIR_MODE)
    return path


def home() -> Path:
    """The casefile folder (created 0700): ``$CASEMAP_HOME``, else the repository's casefiles/."""
    env = os.environ.get("CASEMAP_HOME")
    return _ensure_dir(Path(env).expanduser() if env else REPO / "casefiles")


def exports_dir() -> Path:
    """The exports folder (created 0700): ``$CASEMAP_EXPORTS``, else the repository's exports/."""
    env = os.environ.get("CASEMAP_EXPORTS")
    return _ensure_dir(Path(env).expanduser() if env else REPO / "exports")


def path_for(case_id: str, folder: Path | None = None) -> Path:
    """Where a new case with this id is kept. The id is checked, so no path tricks get through."""
    if not ID_PATTERN.match(case_id):
        raise ValueError(f"'{case_id}' is not a valid case id")
    return (folder or home()) / f"{case_id}.json"


def casefile_paths(folder: Path | None = None) -> list[Path]:
    """Casefiles in a folder and its immediate subfolders (e.g. ``demo/``), sorted."""
    root = folder or home()
    found = list(root.glob("*.json")) + list(root.glob("*/*.json"))
    return sorted(p for p in found if not p.name.startswith("."))


def find_case(case_id: str, folder: Path | None = None) -> Path | None:
    """The casefile holding ``case_id``: ``<id>.json`` in the folder or a subfolder."""
    if not isinstance(case_id, str) or not ID_PATTERN.match(case_id):
        return None
    root = folder or home()
    for candidate in [root / f"{case_id}.json", *sorted(root.glob(f"*/{case_id}.json"))]:
        if candidate.is_file():
            return candidate
    return None


# -- load ------------------------------------------------------------------------------------


def _decode(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CasefileError(path, [Problem("", "no such file")]) from None
    except IsADirectoryError:
        raise CasefileError(path, [Problem("", "is a folder, not a casefile")]) from None
    except PermissionError:
        raise CasefileError(path, [Problem("", "permission denied: cannot read it")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CasefileError(
            path, [Problem("", f"not UTF-8 text (bad byte at offset {e.start})")]
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise CasefileError(
            path, [Problem("", f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}")]
        ) from None


def load(path: Path | str) -> Case:
    """Read and validate a casefile; raise :class:`CasefileError` listing every problem."""
    path = Path(path)
    data = _decode(path)
    try:
        return parse_case(data)
    except CaseInvalid as e:
        raise CasefileError(path, e.problems) from None


def load_id(case_id: str, folder: Path | None = None) -> tuple[Path, Case]:
    """Find and load a case by id; raise CasefileError when there is none."""
    path = find_case(case_id, folder)
    if path is None:
        raise CasefileError(
            Path(case_id if ID_PATTERN.match(str(case_id)) else "?"),
            [Problem("", "no casefile with this id in the casefile folder")],
        )
    return path, load(path)


# -- save ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = path.with_name(f".{path.name}.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _records_by_section(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key in ("history", "revision", "updated", "created"):
            continue
        if isinstance(value, list):
            out[key] = {
                str(r.get("id", i)) if isinstance(r, dict) else str(i): r
                for i, r in enumerate(value)
            }
        elif isinstance(value, dict):
            for sub, items in value.items():
                if isinstance(items, list):
                    out[f"{key}.{sub}"] = {
                        str(r.get("id", i)) if isinstance(r, dict) else str(i): r
                        for i, r in enumerate(items)
                    }
                else:
                    out.setdefault(key, {})[sub] = items
        else:
            out.setdefault("case", {})[key] = value
    return out


def describe_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    """What changed between two casefile dicts, as sections and counts: never case text."""
    if before is None:
        return "created"
    old, new = _records_by_section(before), _records_by_section(after)
    parts = []
    for section in sorted(set(old) | set(new)):
        a, b = old.get(section, {}), new.get(section, {})
        if section in ("case", "worker_safety"):
            changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            if changed:
                parts.append(f"{section}: {', '.join(changed)} changed")
            continue
        added = len(set(b) - set(a))
        removed = len(set(a) - set(b))
        changed = sum(1 for k in set(a) & set(b) if a[k] != b[k])
        counts = ((added, "added"), (changed, "changed"), (removed, "removed"))
        bits = [f"{n} {w}" for n, w in counts if n]
        if bits:
            parts.append(f"{section}: {', '.join(bits)}")
    return "; ".join(parts) or "no change"


def _disk_revision(path: Path) -> tuple[int, dict[str, Any]] | None:
    """The revision and raw dict of the file on disk; None when there is no file."""
    if not path.exists():
        return None
    data = _decode(path)
    if not isinstance(data, dict) or not isinstance(data.get("revision", 0), int):
        raise CasefileError(
            path,
            [Problem("revision", "the file on disk is not a readable casefile; not overwritten")],
        )
    return data.get("revision", 0), data


def _who() -> str:
    for var in ("JUPYTERHUB_USER", "CASEMAP_USER"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


def save(case: Case, path: Path | str | None = None, *, by: str | None = None) -> Case:
    """Save a case atomically and return the saved case (revision + 1, updated, history).

    Raises :class:`ConflictError` if the file on disk has a newer revision than ``case`` (the
    file is left byte-for-byte unchanged), and :class:`CasefileError` if the file on disk cannot
    be read (it is never overwritten then).
    """
    path = Path(path) if path is not None else path_for(case.case_id)
    _ensure_dir(path.parent)
    with _locked(path):
        disk = _disk_revision(path)
        before = None
        if disk is not None:
            theirs, before = disk
            if theirs > case.revision:
                raise ConflictError(path, case.revision, theirs)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        revision = case.revision + 1
        data = dump_case(case)
        summary = describe_changes(before, data)
        entry = HistoryEntry(at=now, by=by or _who(), revision=revision, summary=summary)
        update = {
            "revision": revision,
            "updated": now,
            "created": case.created or now,
            "history": [*case.history, entry],
        }
        saved = case.model_copy(update=update)
        # The case is dumped once; only what the save changed is dumped again.
        out = {**data, **saved.model_dump(mode="json", include=set(update), exclude_none=True)}
        out = {k: out[k] for k in sorted(out, key=_field_rank)}  # in dump_case's order
        parse_case(out)  # every file written must load: never write one that would not
        _write_atomic(path, encode(out))
    return saved


_FIELD_ORDER = {name: i for i, name in enumerate(Case.model_fields)}


def _field_rank(key: str) -> int:
    return _FIELD_ORDER.get(key, len(_FIELD_ORDER))  # x_ keys last, in the order read


def encode(data: dict[str, Any]) -> bytes:
    """A casefile dict as UTF-8 JSON with one record per line.

    Top-level keys and the keys of objects inside them (plans, worker safety) get a line each,
    and every item of a list of records a line of its own: a diff of two revisions shows the
    records that changed, and writing costs what compact JSON costs (json's indent mode runs
    its pure-Python encoder, 5x slower on a 1,000-record case).
    """
    return (_layout(data, 0) + "\n").encode()


_compact = functools.partial(json.dumps, ensure_ascii=False)


def _layout(value: Any, depth: int) -> str:
    pad = " " * (depth + 1)
    if isinstance(value, dict) and value and depth < 2:
        items = [f"{pad}{_compact(k)}: {_layout(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad[:-1] + "}"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "[\n" + ",\n".join(pad + _compact(v) for v in value) + "\n" + pad[:-1] + "]"
    return _compact(value)


def save_copy(case: Case, folder: Path | None = None, *, note: str = "copy") -> tuple[Path, Case]:
    """Save ``case`` as a new case beside the original (new id), e.g. to keep both sides of a
    conflict. Returns the new path and case."""
    root = folder or home()
    for _ in range(100):
        new_id = f"{case.case_id[:26]}-{note[:6]}-{secrets.token_hex(3)}"
        path = path_for(new_id, root)
        if not path.exists():
            break
    copy = case.model_copy(update={"case_id": new_id, "revision": 0, "history": []})
    return path, save(copy, path)


def create(title: str, case_id: str | None = None, folder: Path | None = None) -> Path:
    """Create a new, valid, empty casefile and return its path. Refuses to overwrite."""
    case_id = case_id or f"case-{secrets.token_hex(4)}"
    path = path_for(case_id, folder)
    if path.exists():
        raise FileExistsError(f"{path}: a casefile with id '{case_id}' already exists")
    case = parse_case({"format": FORMAT, "case_id": case_id, "title": title})
    save(case, path)
    return path


# -- list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """One casefile in a folder: the case, or the error that kept it from loading."""

    path: Path
    case: Case | None
    error: CasefileError | None


def list_cases(folder: Path | str | None = None) -> list[Listing]:
    """Every casefile in a folder (and its subfolders), loaded; bad files carry their error."""
    root = Path(folder) if folder is not None else home()
    out = []
    for path in casefile_paths(root):
        try:
            out.append(Listing(path, load(path), None))
        except CasefileError as e:
            out.append(Listing(path, None, e))
    return out


# -- exports ---------------------------------------------------------------------------------


def write_export(name: str, data: bytes) -> Path:
    """Write an export (bytes from casemap.render) into the exports folder, mode 0600."""
    if "/" in name or name.startswith(".") or not name:
        raise ValueError(f"'{name}' is not a plain file name")
    path = exports_dir() / name
    _write_atomic(path, data)
    return path
