"""``python -m packbuilder``."""

from .cli import main

main()
