"""Problems found in the input, and the exception that stops a build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one input file.

    ``str(problem)`` is the user-facing form:
    ``content/cpt/96417.yaml:12: similar[2]: unknown code '96499'``.
    """

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command, shown on a pull request's diff."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        return f"::error file={self.path},line={max(self.line, 1)}::{text}"


class Abort(Exception):
    """Stops the command; the CLI prints the message and exits non-zero."""


class InvalidContent(Abort):
    """Validation found problems; every one is listed, then the build stops once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found in content; nothing was built")
