"""The other half of the app's modules import on their own, whatever was imported before
them (tests/test_imports.py)."""

import pytest

from tests.test_imports import app_modules, assert_each_imports_alone


@pytest.mark.timeout(300)
def test_every_other_module_imports_first():
    assert_each_imports_alone(app_modules()[1::2])
