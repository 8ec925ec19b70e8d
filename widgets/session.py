"""The one observable object of a workbook: which case is open, its revision and save state.

Every change goes through :meth:`Session.apply`, which saves at once (atomically, through
``casemap.store.save``). A save that would overwrite someone else's newer revision is never
forced: our version is written beside theirs as a copy (``store.save_copy``), so both are on
disk, and the session enters a conflict state in which the consultant chooses which one to
keep working on. Undo is a list of previous cases (the model is immutable).
"""

from __future__ import annotations

import logging
from pathlib import Path

import traitlets

from casemap import store
from casemap.model import Case

log = logging.getLogger(__name__)

UNDO_DEPTH = 100


class Session(traitlets.HasTraits):
    """The open case. Observe ``case`` to redraw; call :meth:`apply` to change it."""

    case = traitlets.Instance(Case)
    path = traitlets.Instance(Path)
    revision = traitlets.Int(0)
    save_state = traitlets.Unicode("")
    message = traitlets.Unicode("")
    conflict = traitlets.Bool(False)
    can_undo = traitlets.Bool(False)

    def __init__(self, path: Path | str, case: Case | None = None, *, by: str | None = None):
        path = Path(path)
        case = case if case is not None else store.load(path)
        super().__init__(case=case, path=path, revision=case.revision)
        self.by = by
        self.undo_stack: list[Case] = []
        self.their_revision: int | None = None
        self.copy_path: Path | None = None
        self.save_state = self._saved_text()

    @classmethod
    def open(cls, path: Path | str) -> Session:
        return cls(path)

    def _saved_text(self) -> str:
        return f"Saved · revision {self.case.revision}"

    # -- changing the case ----------------------------------------------------------------

    def apply(self, new_case: Case, summary: str = "") -> bool:
        """Make ``new_case`` the open case and save it. Returns True when it reached the disk.

        ``summary`` names the change for the log (never case text).
        """
        if new_case == self.case:
            return True
        self.undo_stack = [*self.undo_stack[-(UNDO_DEPTH - 1) :], self.case]
        self.can_undo = True
        return self._save(new_case, summary)

    def undo(self) -> bool:
        """Go back to the case as it was before the last change, and save that."""
        if not self.undo_stack:
            return False
        previous = self.undo_stack.pop()
        self.can_undo = bool(self.undo_stack)
        # The content of the previous case, on top of the current revision and history: an
        # undo is a new save, never a rewind of the file's history.
        restored = previous.model_copy(
            update={
                "revision": self.case.revision,
                "history": self.case.history,
                "updated": self.case.updated,
                "created": self.case.created,
            }
        )
        return self._save(restored, "undo")

    def _save(self, new_case: Case, summary: str) -> bool:
        self.save_state = "Saving…"
        try:
            saved = store.save(new_case, self.path, by=self.by)
        except store.ConflictError as e:
            self._keep_both(new_case, e)
            return False
        log.info("saved %s revision %s (%s)", self.path.name, saved.revision, summary or "change")
        self.case = saved
        self.revision = saved.revision
        self.save_state = self._saved_text()
        return True

    def _keep_both(self, ours: Case, error: store.ConflictError) -> None:
        # Theirs stays untouched on disk; ours goes beside it as a new case, at once, so that
        # nothing depends on the consultant clicking anything before the tab is closed.
        path, copy = store.save_copy(ours, self.path.parent, note="copy")
        log.warning(
            "conflict on %s: ours based on revision %s, disk at %s; ours kept as %s",
            self.path.name,
            error.ours,
            error.theirs,
            path.name,
        )
        self.their_revision = error.theirs
        self.copy_path = path
        self.undo_stack = []
        self.can_undo = False
        self.path = path
        self.case = copy
        self.revision = copy.revision
        self.conflict = True
        self.save_state = f"Saved as a copy · {copy.case_id} · revision {copy.revision}"
        self.message = (
            f"Someone else saved this case in the meantime (from another tab or another person; "
            f"it is now at revision {error.theirs}). Nothing was overwritten: your version is "
            f"kept as a separate copy, '{copy.case_id}', which is open now. Reload theirs, or "
            f"keep working on your copy."
        )

    # -- resolving a conflict ------------------------------------------------------------

    def reload_theirs(self, original: Path) -> None:
        """Open the version on disk at ``original`` (our copy stays on disk)."""
        case = store.load(original)
        self.undo_stack = []
        self.can_undo = False
        self.path = Path(original)
        self.case = case
        self.revision = case.revision
        self.conflict = False
        kept = f" Your version is still kept as '{self.copy_path.stem}'." if self.copy_path else ""
        self.message = f"Reloaded their version (revision {case.revision}).{kept}"
        self.save_state = self._saved_text()

    def keep_mine(self) -> None:
        """Carry on with our copy (already saved)."""
        self.conflict = False
        self.message = f"You are working on your copy, '{self.case.case_id}'."

    def reload(self) -> None:
        """Read the open file again (e.g. after an error), dropping nothing on disk."""
        case = store.load(self.path)
        self.case = case
        self.revision = case.revision
        self.save_state = self._saved_text()
