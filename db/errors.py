"""Errors the core raises. Each carries a message key from resources/i18n and its parameters, so
the CLI and the app can say it in the user's language."""

from __future__ import annotations

from resources.words import tr


class PlanMonitorError(Exception):
    """A refusal the user should read: input was understood but not accepted, nothing changed."""

    exit_code = 1

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(tr(key, "en", **params))

    def message(self, lang: str | None = None) -> str:
        return tr(self.key, lang, **self.params)


class UnreadableFile(PlanMonitorError):
    """The file could not be read at all (missing, not a database, not a workbook)."""

    exit_code = 2


class SchemaTooNew(PlanMonitorError):
    exit_code = 1


class ValidationFailed(PlanMonitorError):
    """One or more values broke a rule; `problems` lists them all."""

    def __init__(self, problems: list, key: str = "error.validation_failed") -> None:
        self.problems = problems
        super().__init__(key, count=len(problems))


class PeriodLocked(PlanMonitorError):
    pass


class InternalError(PlanMonitorError):
    """The app's own fault (an exception nobody expected), never a problem with the user's file
    or input: the traceback is in the log (resources.logs) and the message says so, so a bug is
    not taken for a bad file. With `file`: the import of that file, of which nothing was
    changed; without: whatever the app was doing."""

    exit_code = 3

    def __init__(self, file: str = "") -> None:
        from resources.logs import log_file  # the log's modules only when something failed

        if file:
            super().__init__("error.internal", file=file, log=str(log_file()))
        else:
            super().__init__("error.internal_any", log=str(log_file()))
