"""Whether a cell holds a value: the one rule every surface uses for "not given".

A layer frame is built with object columns, so an empty cell is ``None``; frames that pass
through pandas (a filter, a ``to_dict``, a GeoPackage round trip) may give NaN, NaT or
``pd.NA`` instead. Every popup, export and format asks here rather than testing for one of
them, so a value missing in one form is missing in all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard, TypeVar, cast

import pandas as pd

if TYPE_CHECKING:
    from pandas._typing import Scalar

_T = TypeVar("_T")


def is_null(value: object) -> bool:
    """Return whether ``value`` is a null scalar: None, NaN, NaT or ``pd.NA``.

    Containers are never null (an empty list is a value, an empty one); see
    :func:`is_present` for "holds something worth showing".

    Examples
    --------
    >>> is_null(None), is_null(float("nan")), is_null(pd.NaT), is_null(""), is_null([])
    (True, True, True, False, False)
    """
    if value is None:
        return True
    # ``pd.isna`` of a list or array is an array, so only scalars are asked; the stubs type
    # ``is_scalar`` as a plain bool, hence the cast to what it has established.
    return bool(pd.api.types.is_scalar(value)) and bool(pd.isna(cast("Scalar", value)))


def is_present(value: _T | None) -> TypeGuard[_T]:
    """Return whether a cell holds a value: not null, not an empty string, list or tuple.

    Examples
    --------
    >>> is_present("Hmeimim"), is_present(0), is_present(""), is_present([]), is_present(float("nan"))
    (True, True, False, False, False)
    """
    if isinstance(value, (str, list, tuple)):
        return len(value) > 0
    return not is_null(value)
