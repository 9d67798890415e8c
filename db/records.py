"""`record`: a dataclass that costs a start almost nothing to define.

On Python 3.11, `@dataclass` writes the source of each method it adds (__init__, __repr__, __eq__,
and __hash__/__setattr__/__delattr__ when frozen, the four comparisons with order=True) and
compiles it: ~0.5 ms per class, ~9 ms for the ~18 a start of the desktop app defines. `record`
makes the same class without compiling anything: the class writes its own __init__ (positional
and keyword, the fields in order, the same defaults; tests/test_records.py checks it against the
fields), and __repr__, __eq__, __hash__, the frozen guards and the ordering are shared functions
that behave as the dataclass ones do. It is still a dataclass (`dataclasses.fields`, `asdict`,
`replace` work): `dataclass(init=False, repr=False, eq=False)` adds no methods, so compiles none.

A frozen record's __init__ sets its fields with `object.__setattr__`, as a frozen dataclass's does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def record(*, frozen: bool = False, order: bool = False) -> Callable[[T], T]:
    """Like `@dataclass(frozen=frozen, order=order)` for a class with a hand-written __init__."""

    def wrap(cls: T) -> T:
        if "__init__" not in vars(cls):
            raise TypeError(f"{cls.__qualname__} must write its own __init__")
        cls = dataclass(init=False, repr=False, eq=False)(cls)
        names = tuple(f.name for f in fields(cls))
        _add_methods(cls, names, frozen, order)
        return cls

    return wrap


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
