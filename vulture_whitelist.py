"""Names vulture cannot see used: typer commands and callbacks, pydantic hooks."""

import types

from blueprint_cli import cli, model, serve
from blueprint_cli.pipeline import check

cli.main  # typer callback (and its --version parameter)
cli.lint  # typer commands, registered by decorator
cli.render
cli.watch
cli.audit_check
cli.audit_report
cli.audit_template
cli.show
cli.failpoints
model.Blueprint.model_config  # pydantic configuration
model.Node._shorthand  # pydantic validators, registered by decorator
model.Blueprint._complete
model.StepMetric._named_or_referred
model.Emotion._customer_alone
model.observation.EvidenceSeen._short  # the observation format's shorthands (validators)
model.observation.ActionSeen._short
model.observation.FailPointSeen._short
model.observation.StepSeen._short
model.observation.Visit.auditor  # fields of the observation format, read by the reports
model.observation.Visit.method
model.observation.FailPointSeen.detected
model.observation.FailPointSeen.recovered
model.observation.StepSeen.photos
analysis.Marker.standard_segment  # read by the views and renderers of segment standards
version  # noqa: B018 - the --version parameter of cli.main
cli.LintFormat.sarif  # choices: typer reads the enum's members
cli.LintFormat.junit
cli.LintFormat.gitlab
cli.PictureFormat.png
cli.PictureFormat.pdf
cli.Paper.a4
cli.Paper.a3
cli.Paper.letter
cli.Paper.tabloid
check.lint_bytes  # the one-file entry point of the API (tests, benchmarks, fuzzing)
cli.Color.always  # compared by identity in use_color
cli.Color.never
types.ModuleType.__getattr__  # the pydantic plugin stub's fallback (__main__.py)
serve.Server.daemon_threads  # http.server reads these class attributes
serve.Server.block_on_close
serve._Handler.version_string
serve._Handler.do_GET  # http.server calls do_<METHOD>
serve._Handler.do_HEAD
serve._Handler.log_message
cli.diff
cli.init  # blueprint init (issue 21): a typer command
from blueprint_cli.render import drawio, mermaid  # noqa: E402

drawio.to_drawio  # the draw.io exporter: called by `blueprint export --to drawio` (pipeline/interchange.py)
mermaid.to_mermaid  # the Mermaid exporter: called by `blueprint export --to mermaid`
# blueprint import and export (issue 21)
import zipfile  # noqa: E402

import openpyxl  # noqa: E402

from blueprint_cli.sheets import convert  # noqa: E402

cli.import_  # blueprint import (issue 21): typer calls the commands
cli.export
cli.SheetLayout.grid
cli.SheetLayout.list
convert.export_xlsx  # named in pipeline/interchange.py EXPORTERS, imported by name
convert.export_csv
openpyxl.cell.Cell.data_type  # openpyxl reads these attributes when it saves (sheets/write.py)
openpyxl.cell.Cell.alignment
openpyxl.worksheet.worksheet.Worksheet.freeze_panes
openpyxl.packaging.core.DocumentProperties.creator
openpyxl.packaging.core.DocumentProperties.created
openpyxl.packaging.core.DocumentProperties.modified
zipfile.ZipInfo.compress_type  # zipfile reads them when it writes the member
zipfile.ZipInfo.external_attr
