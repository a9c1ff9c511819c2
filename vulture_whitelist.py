"""Names vulture cannot see used: typer commands and callbacks, pydantic hooks."""

from blueprint_cli import cli, model

cli.main  # typer callback (and its --version parameter)
cli.lint  # typer commands, registered by decorator
cli.render
cli.show
cli.failpoints
model.Blueprint.model_config  # pydantic configuration
model.Node._shorthand  # pydantic validators, registered by decorator
model.Blueprint._complete
version  # noqa: B018 - the --version parameter of cli.main
