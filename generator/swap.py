"""Replace a folder by a freshly built one without a moment where it is missing or half-written,
and keep two builds from writing the same folders at once.

The swap is three renames: ``site`` → ``site.old``, ``site.new`` → ``site``, then
``site.old`` is deleted. Each rename is atomic; if the process dies between them,
:func:`recover` (run at the start of the next build) finishes or undoes the swap, so
``site`` is always either the old complete site or the new complete one.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import Abort
from .progress import heartbeat


def _old(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def recover(target: Path) -> None:
    """Finish a swap that was interrupted: bring back ``target`` from ``target.old`` when it is missing."""
    old = _old(target)
    if old.exists():
        if target.exists():
            shutil.rmtree(old)  # the new folder is in place; only the deletion of the old one was cut short
        else:
            old.rename(target)  # cut between the two renames: the old complete folder comes back


#: Deletions of previous folders still running in the background (see :func:`swap_in`).
_deleting: list[threading.Thread] = []


def swap_in(staging: Path, target: Path, background: bool = False) -> None:
    """Make the complete folder ``staging`` the new ``target``; the previous ``target`` is deleted afterwards.

    With ``background``, the deletion runs in a thread while the build goes on (deleting ~190,000
    files is system calls, which leave the other core free); :func:`finish_deletions` waits for it.
    """
    finish_deletions()   # an earlier background deletion may still be removing target.old
    recover(target)
    old = _old(target)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if not old.exists():
        return
    if background:
        thread = threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True},
                                  name=f"remove {old}")
        thread.start()
        _deleting.append(thread)
        return
    # Deleting ~190,000 files takes a while: say so rather than fall silent.
    with heartbeat(f"remove the previous {target.name}/"):
        shutil.rmtree(old)


def finish_deletions() -> None:
    """Wait for the deletions :func:`swap_in` left running in the background."""
    while _deleting:
        thread = _deleting.pop()
        if thread.is_alive():
            with heartbeat(f"finish removing {thread.name.removeprefix('remove ')}"):
                thread.join()


@contextlib.contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold ``build_dir/.lock`` for the whole build; a second build stops at once with a message."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with (build_dir / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Abort(f"another build is using {build_dir} (it holds {build_dir / '.lock'}); "
                        "wait for it to finish, then run this one again") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
