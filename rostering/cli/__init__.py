"""`roster` command line: thin click commands over the package; one module per command family."""
from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="roster")
def main() -> None:
    """Build, check and print duty rosters (值班表)."""


from . import basics, generate, check, ledger, holidays  # noqa: E402,F401  (commands register themselves on `main`)
