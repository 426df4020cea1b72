"""Sealed text: opens only with its key and for its row; the key file and its rotation."""

import stat
import time

import pytest

from intake.infra.sealing import (
    RECHECK_SECONDS,
    KeyFileError,
    KeyMissing,
    Keyring,
    SealError,
    add_key,
    binding,
    read_key_file,
    remove_key,
)

ROW = binding(7, "talk_about", 0)


@pytest.fixture
def ring(tmp_path) -> Keyring:
    path = tmp_path / "text_keys"
    add_key(path)
    return Keyring.load(path)


def test_a_text_opens_as_written_in_any_script(ring):
    for text in ("Mi trabajo", "عملي وأسرتي", "减少焦虑", "😶‍🌫️ a\u202eb", "x" * 5000):
        sealed, key_id = ring.seal(text, ROW)
        assert text not in sealed and key_id == ring.current
        assert ring.open(sealed, key_id, ROW) == text


def test_the_same_text_seals_differently_each_time(ring):
    first, _ = ring.seal("same words", ROW)
    second, _ = ring.seal("same words", ROW)
    assert first != second


def test_a_text_moved_to_another_row_does_not_open(ring):
    sealed, key_id = ring.seal("about my sister", ROW)
    for other in (binding(8, "talk_about", 0), binding(7, "hard_to_say", 0),
                  binding(7, "talk_about", 1)):
        with pytest.raises(SealError):
            ring.open(sealed, key_id, other)


def test_a_changed_text_does_not_open(ring):
    sealed, key_id = ring.seal("about my sister", ROW)
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    for broken in (flipped, sealed[:-4], "not base64 at all!"):
        with pytest.raises(SealError):
            ring.open(broken, key_id, ROW)


def test_a_key_added_by_another_process_is_found(ring):
    other = Keyring.load(ring.path)
    new_id = add_key(ring.path)
    other.reload()
    sealed, key_id = other.seal("after rotation", ROW)
    assert key_id == new_id
    assert ring.open(sealed, key_id, ROW) == "after rotation"  # reads the file again


def test_a_missing_key_is_named(ring):
    sealed, key_id = ring.seal("words", ROW)
    add_key(ring.path)
    remove_key(ring.path, key_id)
    ring.reload()
    with pytest.raises(KeyMissing) as missing:
        ring.open(sealed, key_id, ROW)
    assert missing.value.key_id == key_id


def test_the_key_file_is_private_and_newest_first(tmp_path):
    path = tmp_path / "text_keys"
    first = add_key(path)
    second = add_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [key_id for key_id, _ in read_key_file(path)] == [second, first]
    assert Keyring.load(path).current == second


@pytest.mark.parametrize("content", [
    "", "# only a comment\n", "abc\n", "abc not-base64!\n", "abc c2hvcnQ=\n",
    "UPPER " + "A" * 43 + "=\n",
])
def test_a_malformed_key_file_is_refused(tmp_path, content):
    path = tmp_path / "text_keys"
    path.write_text(content)
    with pytest.raises(KeyFileError):
        read_key_file(path)


def test_a_key_named_twice_is_refused(tmp_path):
    path = tmp_path / "text_keys"
    add_key(path)
    line = path.read_text().splitlines()[-1]
    path.write_text(f"{line}\n{line}\n")
    with pytest.raises(KeyFileError):
        read_key_file(path)


def test_the_last_key_cannot_be_removed(tmp_path):
    path = tmp_path / "text_keys"
    only = add_key(path)
    with pytest.raises(KeyFileError):
        remove_key(path, only)
    with pytest.raises(KeyFileError):
        remove_key(path, "unknown")
    assert read_key_file(path)[0][0] == only


def test_a_long_running_process_seals_with_a_key_added_since(ring, monkeypatch):
    new_id = add_key(ring.path)
    assert ring.seal("soon", ROW)[1] != new_id  # checked at most every 30 s
    later = time.monotonic() + RECHECK_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert ring.seal("later", ROW)[1] == new_id
