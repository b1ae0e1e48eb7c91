"""Hostile text for the payload suite: what an attacker would put in data, titles and links.

Not a test module. Every payload passes validation (no control characters, under the
length limits), so it reaches every surface; the tests check that each shows literally.
``PWNED_DIR`` is what the command payload would create in the working directory if any
text were evaluated as a Jinja template.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from tests.export_cases import MINI

PWNED_DIR = "airbridge_pwned"
COMMAND = "{{ lipsum.__globals__.os.mkdir(dict(airbridge_pwned=1)|first) }}"
PAYLOADS = {
    "jinja expression": "{{ 7*7 }}",
    "jinja command": COMMAND,
    "jinja raw block": "{% raw %}",
    "jinja comment": "{# draft",
    "malformed jinja": "{{ open",
    "script end": "</script><script>window.__xss=77</script>",
    "comment then script": "<!--<script>",
    "html handler": "<img src=x onerror=window.__xss=1>",
    "template literal": "${window.__xss2=1} `tick`",
    "math text": "$x_$ \\alpha ^2 _ Budget $5 to $x_",
}
PAYLOAD = " ".join(PAYLOADS.values())
"""All payloads in one text (about 260 characters)."""
HOSTILE_SITE = "hmeimim"
HOSTILE_SITE_NAME = "Hmeimim " + PAYLOAD
HOSTILE_TITLE = "Briefing {{ 7*7 }} {% raw %} {# $x_$ <!--<script> `t`"
HOSTILE_MARKING = "SECRET " + COMMAND
XSS_FLAGS = ("__xss", "__xss2", "__xss3")


def write_hostile_data(folder: Path) -> Path:
    """Copy the mini dataset into ``folder`` with payloads in every free-text field.

    Returns
    -------
    Path
        ``folder``.
    """
    for source in MINI.glob("*.csv"):
        shutil.copy(source, folder / source.name)
    _rewrite(folder / "sites.csv", {"name": HOSTILE_SITE_NAME, "role": PAYLOAD, "notes": PAYLOAD,
                                    "conflict": PAYLOAD}, only_id=HOSTILE_SITE)
    _rewrite(folder / "events.csv", {"title": "Assad falls " + PAYLOAD, "description": PAYLOAD, "conflict": PAYLOAD})
    _rewrite(folder / "flights.csv", {"notes": PAYLOAD, "operator": PAYLOAD, "origin_as_reported": PAYLOAD,
                                      "destination_as_reported": PAYLOAD})
    _rewrite(folder / "site_status.csv", {"note": PAYLOAD})
    return folder


def _rewrite(path: Path, values: dict[str, str], only_id: str | None = None) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        if only_id is None or row.get("id") == only_id:
            row.update({k: v for k, v in values.items() if k in fields})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
