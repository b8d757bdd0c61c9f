"""Framework integrations: Jinja2 (:mod:`sblgen.integrations.jinja`)."""
