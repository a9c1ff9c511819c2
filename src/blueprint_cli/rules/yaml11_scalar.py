"""A plain value that YAML 1.1 tools read differently from YAML 1.2.

This tool reads YAML 1.2, as editors do: `no`, `on`, `yes`, `12:30`, `1_000` and `0o10`
written without quotes are kept as the text written. Tools that read YAML 1.1 (PyYAML,
many CI scripts) see the booleans false, true, the numbers 750 and 1000. Quoting the
value makes every tool agree.

Why it matters: a step titled `no` must not turn into `false` in the next tool.

FAIL:

    blueprint: 1
    steps:
      - title: no

PASS:

    blueprint: 1
    steps:
      - title: "no"
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.YAML11_SCALAR
FAMILY = codes.Family.FORMAT
NAME = "yaml11-scalar"
SEVERITY = Severity.WARNING
SUMMARY = "an unquoted value YAML 1.1 tools read as a boolean or number"
