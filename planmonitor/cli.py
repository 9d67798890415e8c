"""The `planmonitor` command line. Imports no Qt unless it opens the desktop app.

Each feature registers its subcommands from `planmonitor/commands/<feature>.py`.
Exit status: 0 success; 1 input read but refused (nothing changed); 2 usage error or unreadable file;
3 an internal error (the app's fault: the traceback is in the log, see resources.logs).
Logging is set up here, at the entry point, and by desktop.app.run_app for the app.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from db.errors import InternalError, PlanMonitorError
from planmonitor import __version__
from resources.logs import log_unexpected, setup_logging
from resources.text import terminal_text
from resources.words import LANGS, set_language, tr

# Features whose commands the CLI offers, in help order. Add a module here to add commands.
COMMAND_MODULES = ("core", "exchange", "report", "center", "search", "doctor")

EXIT_OK, EXIT_USAGE = 0, 2  # 1 (read but refused) is a command's own answer
log = logging.getLogger(__name__)


def _common_options(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=default,
                        help="database file (default: the per-user data folder; PLANMONITOR_DB overrides)")
    common.add_argument("--lang", choices=LANGS, default=default, help="language of messages")
    return common


def build_parser() -> argparse.ArgumentParser:
    top = _common_options(default=None)
    # Subcommands repeat the options without defaults, so `planmonitor --db X status` and
    # `planmonitor status --db X` both work (a subparser's default would override the top's value).
    common = _common_options(default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="planmonitor", parents=[top],
        description="Plan Monitor: offline workbook for the Follow-up Plan for Human Rights "
                    "and the Rule of Law. With no command, opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"planmonitor {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"planmonitor.commands.{name}").register(subparsers, common)
    return parser


def _app_language(argv: Sequence[str]) -> str | None:
    """When the arguments name no command, only --db and a valid --lang, the desktop app opens:
    its language, found without building the parser (which imports every command module, none
    of which the app needs). None
    otherwise: anything else goes through the parser."""
    lang, rest = "", list(argv)
    while rest:
        name, eq, value = rest.pop(0).partition("=")
        if name not in ("--db", "--lang") or not (eq or (rest and not rest[0].startswith("-"))):
            return None
        value = value if eq else rest.pop(0)
        if name == "--lang":
            if value not in LANGS:
                return None
            lang = value
    return lang or "ru"


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    app_language = _app_language(argv)
    if app_language is not None:
        set_language(app_language)
        return gui_main(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang or "ru")
    if not args.command:
        return gui_main(argv)
    setup_logging(f"command {args.command}")
    with terminal_text():  # a file's text never reaches the terminal as a control character
        try:
            status = int(args.handler(args) or EXIT_OK)
        except PlanMonitorError as exc:
            log.info("command %s refused: %s", args.command, exc.key)
            print(exc.message(args.lang), file=sys.stderr)
            return exc.exit_code
        except KeyboardInterrupt:
            log.info("command %s interrupted", args.command)
            return 130
        except Exception as exc:  # noqa: BLE001 - the app's fault: logged and told as such
            log_unexpected(log, f"in the command {args.command}", exc)
            print(InternalError().message(args.lang), file=sys.stderr)
            return InternalError.exit_code
    output = getattr(args, "output", None)  # every command that writes a file names it -o
    if output is not None and status == EXIT_OK:
        log.info("command %s wrote %s", args.command, Path(output).name)
    log.info("command %s ended with status %d", args.command, status)
    return status


def gui_main(argv: Sequence[str] | None = None) -> int:
    """The desktop app, given the command's own arguments (--db, --lang), not the process's."""
    try:
        from desktop.app import run_app
    except ImportError as exc:
        if "desktop" not in str(exc) and "PySide6" not in str(exc):
            raise
        print(tr("cli.no_desktop"), file=sys.stderr)
        return EXIT_USAGE
    return run_app(["planmonitor", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
