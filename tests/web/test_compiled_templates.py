"""Compiled templates are kept on disk (webapp.web.templating.CompiledTemplates): each
web worker and job worker compiled every template as it started, most of what its start
cost; a later process loads them instead. A template changed since is compiled
again, and a folder that cannot be used costs only the compiling."""

import logging
import shutil

import pytest
from jinja2 import Environment, FileSystemLoader
from jinja2.bccache import bc_magic

from tests.support.other_apps import app_like
from webapp.web.templating import CompiledTemplates, compile_all_templates


def never_compiles(app, monkeypatch):
    """Make compiling a template from its source fail for app: what it renders from now
    on must come from the kept folder."""

    def compile_refused(*args, **kwargs):
        raise AssertionError(f"compiled again: {args[1] if len(args) > 1 else kwargs}")

    monkeypatch.setattr(app.jinja_env, "compile", compile_refused)


def kept_files(folder):
    return sorted(path for path in folder.iterdir() if path.suffix == ".cache")


def test_a_process_after_the_first_loads_every_template_the_first_compiled(
    app, tmp_path, monkeypatch
):
    folder = tmp_path / "compiled"
    with app_like(app, TEMPLATE_CACHE_DIR=str(folder)) as first:
        compile_all_templates(first)
        templates = first.jinja_env.list_templates(extensions=("html", "txt", "xml"))
    assert len(kept_files(folder)) == len(templates)
    assert folder.stat().st_mode & 0o777 == 0o700

    with app_like(app, TEMPLATE_CACHE_DIR=str(folder)) as later:
        never_compiles(later, monkeypatch)
        compile_all_templates(later)
        page = later.test_client().get("/")
        assert page.status_code == 200
        assert "Hearth" in page.get_data(as_text=True)


def render_from(folder, templates, template="page.html", **values):
    environment = Environment(
        loader=FileSystemLoader(str(templates)),
        bytecode_cache=CompiledTemplates(str(folder)),
        autoescape=True,
    )
    return environment, environment.get_template(template).render(**values)


def test_a_template_changed_since_is_compiled_again(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("Hello {{ name }}")
    (templates / "other.html").write_text("Unchanged {{ name }}")
    folder = tmp_path / "compiled"
    assert render_from(folder, templates, name="Ada")[1] == "Hello Ada"
    assert render_from(folder, templates, "other.html", name="Ada")[1] == "Unchanged Ada"

    (templates / "page.html").write_text("Goodbye {{ name }}")
    environment, text = render_from(folder, templates, name="Ada")
    assert text == "Goodbye Ada"
    # The other one still comes from the folder.
    monkeypatch.setattr(environment, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert environment.get_template("other.html").render(name="Bo") == "Unchanged Bo"


@pytest.mark.parametrize(
    "spoilt",
    [b"", b"not a compiled template", bc_magic + b"\x80not a pickle", bc_magic[:-1] + b"?"],
    ids=["empty", "garbage", "cut short", "other versions"],
)
def test_a_spoilt_kept_file_is_compiled_again_and_written_over(tmp_path, spoilt):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("Hello {{ name }}")
    folder = tmp_path / "compiled"
    render_from(folder, templates, name="Ada")
    (kept,) = kept_files(folder)
    good = kept.read_bytes()
    kept.write_bytes(spoilt)

    assert render_from(folder, templates, name="Ada")[1] == "Hello Ada"
    assert kept.read_bytes() == good


def test_a_folder_others_could_write_in_is_made_the_apps_alone(app, tmp_path):
    folder = tmp_path / "compiled"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    with app_like(app, TEMPLATE_CACHE_DIR=str(folder)) as other:
        assert other.jinja_env.bytecode_cache is not None
    assert folder.stat().st_mode & 0o777 == 0o700


def test_a_folder_that_cannot_be_made_costs_only_the_compiling(app, tmp_path, caplog):
    (tmp_path / "a-file").write_text("not a folder")
    unusable = str(tmp_path / "a-file" / "compiled")
    with (
        caplog.at_level(logging.WARNING, logger="webapp.web.templating"),
        app_like(app, TEMPLATE_CACHE_DIR=unusable) as other,
    ):
        assert other.jinja_env.bytecode_cache is None
        assert other.test_client().get("/").status_code == 200
    assert "compiled templates not kept" in caplog.text


def test_a_folder_gone_while_serving_costs_only_the_compiling(app, tmp_path, caplog):
    folder = tmp_path / "compiled"
    with app_like(app, TEMPLATE_CACHE_DIR=str(folder)) as other:
        shutil.rmtree(folder)
        with caplog.at_level(logging.WARNING, logger="webapp.web.templating"):
            assert other.test_client().get("/").status_code == 200
    assert "not kept" in caplog.text
    assert not folder.exists()
