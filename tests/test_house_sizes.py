"""The app's modules and functions stay a size one can read whole: a module of webapp/ is
at most MODULE_LINES long and a function at most FUNCTION_LINES (from its def to its last
line), unless its docstring says why it is kept whole, in a paragraph that starts with
REASON (docs/contributing.md). Checked by reading the source, so a new module or a long
function fails here, whatever else it passes.
"""

import ast
from pathlib import Path

import webapp

MODULE_LINES = 300
FUNCTION_LINES = 50
REASON = "Kept whole:"
APP = Path(webapp.__file__).parent


def says_why(node):
    docstring = ast.get_docstring(node) or ""
    return any(paragraph.startswith(REASON) for paragraph in docstring.split("\n\n"))


def oversized(source, name):
    """What in source (the module called name) is over its size without saying why."""
    tree = ast.parse(source)
    found = []
    lines = len(source.splitlines())
    if lines > MODULE_LINES and not says_why(tree):
        found.append(f"{name}: {lines} lines")
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = node.end_lineno - node.lineno + 1
        if length > FUNCTION_LINES and not says_why(node):
            found.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    return found


def test_no_module_or_function_of_the_app_is_over_its_size_without_a_reason():
    found = [
        problem
        for path in sorted(APP.rglob("*.py"))
        for problem in oversized(path.read_text(encoding="utf-8"), path.relative_to(APP))
    ]
    assert not found, (
        f"over {MODULE_LINES} lines a module, or {FUNCTION_LINES} a function: split it, or "
        f"say why it is kept whole in its docstring ({REASON} ...):\n" + "\n".join(found)
    )


def test_the_check_sees_what_it_looks_for():
    """The control: a long module and a long function are found, and each is let
    through by its own reason alone."""
    body = "".join(f"    x{line} = {line}\n" for line in range(FUNCTION_LINES))
    function = f"def long_one():\n{body}"
    padding = "\n" * MODULE_LINES
    assert oversized(function + padding, "m") == ["m: 351 lines", "m:1 long_one: 51 lines"]

    reasoned_module = f'"""A module.\n\n{REASON} one file to read."""\n' + function + padding
    assert oversized(reasoned_module, "m") == ["m:4 long_one: 51 lines"]

    reasoned_function = f'def long_one():\n    """It.\n\n    {REASON} one piece."""\n{body}'
    assert oversized(reasoned_function, "m") == []
    # A reason must open its paragraph: the words inside another sentence are not one.
    mentioned = f'def long_one():\n    """Not {REASON} a reason."""\n{body}'
    assert oversized(mentioned, "m") == ["m:1 long_one: 52 lines"]
