"""Plan Monitor: offline workbook for the Follow-up Plan for Human Rights and the Rule of Law.

This package is the top layer: the command line and the entry points that start the desktop app."""

from resources import APP_NAME, VERSION

__version__ = VERSION
__all__ = ["APP_NAME", "__version__"]
