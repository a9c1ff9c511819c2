"""blueprint: service blueprints as YAML — lint, render and inspect them."""

__version__ = "0.1.0"
