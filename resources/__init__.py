"""The floor every layer stands on: the data that could change (catalog, words, fonts, icons), and
the two small modules that find and read it (`resources.paths`, `resources.words`)."""

APP_NAME = "PlanMonitor"
VERSION = "0.1.0"
