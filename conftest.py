"""Root pytest configuration: doctest collection skips modules that need a configured
framework (they are tested with real Django and Flask apps in tests/)."""

collect_ignore_glob = ["sblgen/integrations/django/*", "sblgen/integrations/django/*/*"]
