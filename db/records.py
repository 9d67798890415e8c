"""`record`: a dataclass that costs a start almost nothing to define.

On Python 3.11, `@dataclass` writes the source of each method it adds (__init__, __repr__, __eq__,
and __hash__/__setattr__/__delattr__ when frozen, the four comparisons with order=True) and
compiles it: ~0.5 ms per class, ~9 ms for the ~18 a start of the desktop app defines. `record`
makes the same class without compiling anything: the class writes its own __init__ (positional
and keyword, the fields in order, the same defaults; tests/test_records.py checks it against the
fields), and __repr__, __eq__, __hash__, the frozen guards and the ordering are shared functions
that behave as the dataclass ones do. It is still a dataclass (`dataclasses.fields`, `asdict`,
`replace` work): `dataclass(init=False, repr=False, eq=False)` adds no methods, so compiles none.
On Python 3.11 the record even writes that dataclass's two attributes itself (`_as_dataclass`):
dataclass() checks each string annotation for ClassVar, InitVar and KW_ONLY with a regular
expression and a module lookup, ~50 us a class, ~1 ms of a start; a class that might need any
of that (or a dataclass base, or a mutable default) still goes through dataclass().

A frozen record's __init__ sets its fields with `object.__setattr__`, as a frozen dataclass's does.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def record(*, frozen: bool = False, order: bool = False) -> Callable[[T], T]:
    """Like `@dataclass(frozen=frozen, order=order)` for a class with a hand-written __init__."""

    def wrap(cls: T) -> T:
        if "__init__" not in vars(cls):
            raise TypeError(f"{cls.__qualname__} must write its own __init__")
        if not _as_dataclass(cls):
            cls = dataclass(init=False, repr=False, eq=False)(cls)
        names = tuple(f.name for f in fields(cls))
        _add_methods(cls, names, frozen, order)
        return cls

    return wrap


# dataclasses' own names for what it writes on a class (private: where they differ, as on other
# Python versions, every record goes through dataclass()).
_FIELD_KIND = getattr(dataclasses, "_FIELD", None)
_PARAMS_TYPE = getattr(dataclasses, "_DataclassParams", None)
_FAST = (_FIELD_KIND is not None and _PARAMS_TYPE is not None
         and getattr(dataclasses, "_FIELDS", None) == "__dataclass_fields__"
         and getattr(dataclasses, "_PARAMS", None) == "__dataclass_params__"
         and Field.__slots__ == ("name", "type", "default", "default_factory", "repr", "hash",
                                 "init", "compare", "metadata", "kw_only", "_field_type"))
_PARAMS = _PARAMS_TYPE(False, False, False, False, False, False) if _FAST else None
_SPECIAL = ("ClassVar", "InitVar", "KW_ONLY")


def _as_dataclass(cls: type) -> bool:
    """Make `cls` what `dataclass(init=False, repr=False, eq=False)` makes of it, when it is a
    plain case: a docstring, string annotations naming none of ClassVar/InitVar/KW_ONLY, no
    dataclass base, no mutable default. False (nothing done) otherwise."""
    own = vars(cls)
    annotations = own.get("__annotations__", {})
    if (not _FAST or not own.get("__doc__")
            or any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:])
            or any(not isinstance(a, str) or any(s in a for s in _SPECIAL)
                   for a in annotations.values())
            or any(isinstance(v, Field) and k not in annotations for k, v in own.items())):
        return False
    made: dict[str, Field] = {}
    for name in annotations:
        default = own.get(name, MISSING)
        item = default if isinstance(default, Field) else dataclasses.field(default=default)
        if item.default is not MISSING and item.default.__class__.__hash__ is None:
            return False  # dataclass() refuses it, and says why
        made[name] = item
    for name, item in made.items():
        item.name, item.type, item._field_type = name, annotations[name], _FIELD_KIND
        if item.kw_only is MISSING:
            item.kw_only = False
        if isinstance(own.get(name), Field):
            if item.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, item.default)
    cls.__dataclass_params__ = _PARAMS  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = made  # type: ignore[attr-defined]
    if "__match_args__" not in own:
        match = tuple(n for n, f in made.items() if f.init and not f.kw_only)
        cls.__match_args__ = match  # type: ignore[attr-defined]
    abc.update_abstractmethods(cls)
    return True


def _add_methods(cls: type, names: tuple[str, ...], frozen: bool, order: bool) -> None:
    def values(self: Any) -> tuple:
        return tuple([getattr(self, name) for name in names])

    def __repr__(self: Any) -> str:
        return (f"{self.__class__.__qualname__}("
                + ", ".join([f"{name}={getattr(self, name)!r}" for name in names]) + ")")

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    cls.__repr__ = __repr__
    cls.__eq__ = __eq__
    # As dataclass: eq without frozen makes instances unhashable; frozen hashes the fields.
    cls.__hash__ = (lambda self: hash(values(self))) if frozen else None
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
    if order:
        for name, compare in (("__lt__", tuple.__lt__), ("__le__", tuple.__le__),
                              ("__gt__", tuple.__gt__), ("__ge__", tuple.__ge__)):
            setattr(cls, name, _comparison(name, compare, values))


def _comparison(name: str, compare: Callable[[tuple, tuple], bool],
                values: Callable[[Any], tuple]) -> Callable[[Any, object], bool]:
    def method(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compare(values(self), values(other))
        return NotImplemented

    method.__name__ = name
    return method


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
