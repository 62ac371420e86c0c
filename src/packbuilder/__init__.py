"""packbuilder: build council meeting agenda packs from YAML, Word templates and papers."""

__version__ = "0.1.0"
