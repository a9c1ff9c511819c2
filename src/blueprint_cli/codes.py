"""Every rule code, written once. The loader, the model's validation, the suppressions
and the rules themselves import them from here; a code is never reused, and a rule's
family is declared in its module (``FAMILY``), never read from the code's digits."""

from __future__ import annotations

import enum
import re


class Family(enum.Enum):
    """What a rule judges."""

    FORMAT = "format"  # the file and the format: the loader, the schema, references
    SERVICE_DESIGN = "service-design"  # the service: the methodology's checks
    AUDIT = "audit"  # an audit visit's observation file, against its blueprint


YAML_SYNTAX = "BP001"
UNKNOWN_KEY = "BP002"
INVALID_VALUE = "BP003"
DUPLICATE_KEY = "BP004"
DUPLICATE_ID = "BP005"
UNKNOWN_REFERENCE = "BP006"
YAML11_SCALAR = "BP007"
UNUSED_SUPPRESSION = "BP008"
DURATION_AS_TEXT = "BP009"
MISSING_EVIDENCE = "BP101"
# BP102, BP103: replaced by BP119 (aliases in rules.REPLACED)
HIGH_RISK_FAIL_POINT = "BP104"
# BP105: replaced by BP119
CUSTOMER_SKIPS_FRONTSTAGE = "BP106"
FRONTSTAGE_WITHOUT_CUSTOMER = "BP107"
STEP_WITHOUT_CUSTOMER_ACTION = "BP108"
UNSUPPORTED_FRONTSTAGE = "BP109"
WAIT_OVER_STANDARD = "BP110"
WAIT_WITHOUT_STANDARD = "BP111"
ACTION_WITHOUT_OWNER = "BP112"
NO_SCRIPT = "BP113"
PHASE_COVERAGE = "BP114"
EMPTY_PHASE = "BP115"
UNUSED_ACTOR = "BP116"
UNUSED_SEGMENT = "BP117"
ISOLATED_ACTION = "BP118"
INCOMPLETE_FAIL_POINT = "BP119"
STEP_OUT_OF_PHASE_ORDER = "BP120"
EMPTY_LANE = "BP121"
NO_VISIBLE_CONTACT = "BP122"
STEP_WITHOUT_PHASE = "BP123"
SELF_LOOP = "BP124"
DUPLICATE_FLOW = "BP125"
RISK_HOTSPOT = "BP126"
NO_FAIL_POINTS = "BP127"
RECOVERY_REPEATS_PREVENTION = "BP128"
UNACCOUNTABLE_REGULATED_ACTION = "BP129"
INCOMPLETE_METRIC = "BP130"
UNWORKED_PAIN_POINT = "BP131"
# BP2xx: audit observations (blueprint audit check)
UNKNOWN_OBSERVED_ID = "BP201"
UNEXPLAINED_MISS = "BP202"
BLUEPRINT_CHANGED = "BP203"
BLUEPRINT_UNAVAILABLE = "BP204"


#: the repository's rule documentation (``blueprint rules --format markdown``)
RULES_DOC = "docs/rules.md"


def anchor(code: str, name: str) -> str:
    """The anchor of a rule's section in docs/rules.md, whose heading is ``## CODE name``:
    the heading as GitHub slugs it (lower case, punctuation but ``-`` and ``_`` dropped,
    spaces as ``-``), so ``BP101 missing-evidence`` -> ``bp101-missing-evidence``."""
    heading = f"{code} {name}".strip().lower()
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")
