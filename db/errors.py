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
