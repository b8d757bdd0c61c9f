"""Framework integrations: Jinja2 (:mod:`sblgen.integrations.jinja`), Flask
(:mod:`sblgen.integrations.flask`, the ``sblgen[flask]`` extra) and Django
(:mod:`sblgen.integrations.django`, the ``sblgen[django]`` extra).

An integration whose framework is not installed says which extra to install:

>>> err = missing_extra(ModuleNotFoundError("No module named 'flask'", name="flask"),
...                     "Flask integration", "Flask", "flask")
>>> print(err)
sblgen's Flask integration needs Flask: pip install 'sblgen[flask]'
"""

from __future__ import annotations

__all__ = ["missing_extra"]


def missing_extra(err: ModuleNotFoundError, feature: str, needs: str, extra: str) -> ImportError:
    """The :class:`ImportError` to raise when importing ``feature`` failed with ``err``:
    ``err`` itself unless the module missing is the framework's (``extra`` names both the
    top-level module and the ``sblgen[...]`` extra that installs it), else one line saying
    what to install.

    >>> err = ModuleNotFoundError("No module named 'markupsafe'", name="markupsafe")
    >>> missing_extra(err, "Flask integration", "Flask", "flask") is err
    True
    """
    top = (err.name or "").partition(".")[0]
    if top != extra:
        return err
    found = ImportError(f"sblgen's {feature} needs {needs}: pip install 'sblgen[{extra}]'")
    found.name = err.name
    return found
