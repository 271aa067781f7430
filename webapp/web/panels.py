"""Panels one feature shows on another feature's page, and columns it adds to another's
table, without the page's feature naming it.

A page is a named place ("groups.detail"). A feature adds a panel to it with
`@add_panel(place, name, template, order)` on a function that takes the page's objects
and returns what the panel's template reads; the page's view merges
`panel_context(place, **objects)` into its own and its template includes each of
`panels` in order. So the group page shows the group's events and polls while groups
imports neither feature (the layers in .importlinter), as Indico's modules contribute
to an event's page through signals. A column is the same for a table's rows:
`@add_column(place, name, label, order)` on a function that takes the table's objects
and returns {row key: text} (None: no column for this table), read in one statement for
the rows shown; the table's view passes `column_values(place, **objects)` to its template.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    build: Callable[..., dict[str, Any]]
    order: int
    title: str = ""


_PLACES: dict[str, list[Panel]] = {}


def add_panel(place, name, template, order, title=""):
    """Decorator: build(**objects) -> the panel's template context, shown at `order`."""

    def register(build):
        panels = [panel for panel in _PLACES.get(place, []) if panel.name != name]
        panels.append(Panel(name, template, build, order, title))
        _PLACES[place] = sorted(panels, key=lambda panel: panel.order)
        return build

    return register


def panels_of(place):
    """The panels added to place, in their order."""
    return _PLACES.get(place, [])


def panel_context(place, **objects):
    """What the page's template needs for its panels: `panels` (their templates, in
    order) and what each panel's build returned for these objects."""
    context = {"panels": []}
    for panel in panels_of(place):
        context.update(panel.build(**objects))
        context["panels"].append(panel.template)
    return context


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    values: Callable[..., dict | None]
    order: int


_COLUMNS: dict[str, list[Column]] = {}


def add_column(place, name, label, order):
    """Decorator: values(**objects) -> {row key: text}, or None to show no column."""

    def register(values):
        columns = [column for column in _COLUMNS.get(place, []) if column.name != name]
        columns.append(Column(name, label, values, order))
        _COLUMNS[place] = sorted(columns, key=lambda column: column.order)
        return values

    return register


def column_values(place, **objects):
    """[(label, {row key: text})] of the columns added to place that show for these
    objects, in their order."""
    found = []
    for column in _COLUMNS.get(place, []):
        values = column.values(**objects)
        if values is not None:
            found.append((str(column.label), values))
    return found
