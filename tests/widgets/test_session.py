"""The session: apply saves at once, undo is a new save, a conflict keeps both versions."""

from casemap import store
from casemap.model import with_record
from widgets.session import Session


def renamed(case, title):
    return case.model_copy(update={"title": title})


def test_apply_saves_and_counts_revisions(demo_path):
    """Every applied change reaches the disk and the save state names the revision."""
    s = Session(demo_path)
    assert s.apply(renamed(s.case, "One"), "title")
    assert store.load(demo_path).title == "One"
    assert s.save_state == f"Saved · revision {s.case.revision}"
    assert s.case.revision == store.load(demo_path).revision


def test_undo_restores_previous_content_as_new_revision(demo_path):
    """Undo brings back the earlier content, saved on top of the latest revision."""
    s = Session(demo_path)
    original = s.case.title
    s.apply(renamed(s.case, "Changed"))
    revision = s.case.revision
    assert s.undo()
    disk = store.load(demo_path)
    assert disk.title == original
    assert disk.revision == revision + 1
    assert not s.can_undo
    assert not s.undo()


def test_unchanged_case_is_not_saved(demo_path):
    """Applying the case as it is writes nothing and leaves undo empty."""
    s = Session(demo_path)
    before = demo_path.read_bytes()
    assert s.apply(s.case)
    assert demo_path.read_bytes() == before
    assert not s.can_undo


def test_conflict_keeps_theirs_untouched_and_ours_as_copy(demo_path):
    """A stale save never overwrites: theirs stays byte for byte, ours is saved as a copy."""
    ours, theirs = Session(demo_path), Session(demo_path)
    theirs.apply(renamed(theirs.case, "Theirs"))
    disk_after_theirs = demo_path.read_bytes()
    assert not ours.apply(renamed(ours.case, "Ours"))
    assert demo_path.read_bytes() == disk_after_theirs
    assert ours.conflict
    assert ours.their_revision == theirs.case.revision
    assert "Someone else saved this case" in ours.message
    assert store.load(ours.copy_path).title == "Ours"
    assert ours.copy_path.parent == demo_path.parent


def test_edits_after_conflict_go_to_the_copy(demo_path):
    """After a conflict the session works on the copy, so further edits are saved too."""
    ours, theirs = Session(demo_path), Session(demo_path)
    theirs.apply(renamed(theirs.case, "Theirs"))
    ours.apply(renamed(ours.case, "Ours"))
    ours.apply(
        with_record(
            ours.case,
            "behaviours",
            ours.case.behaviours[0].model_copy(update={"description": "Edited after the conflict"}),
        )
    )
    assert store.load(ours.copy_path).behaviours[0].description == "Edited after the conflict"
    assert store.load(demo_path).title == "Theirs"
