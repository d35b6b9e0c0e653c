"""The CI's dependency audit (.ci/audit): NOT RUN when PyPI's advisory service is unreachable (said clearly, the
build goes on), a failure when pip-audit finds a known vulnerability, NOT COMPLETED when the network cuts it short.
`curl` and `pip-audit` are replaced by stubs: no network here."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def stub(directory, name, script):
    path = directory / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def run_audit(tmp_path, curl_exit, pip_audit=None):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub(bin_dir, "curl", f'echo "$@" > "{tmp_path}/curl-args"\nexit {curl_exit}\n')
    if pip_audit:
        stub(bin_dir, "pip-audit", pip_audit)
    return subprocess.run(
        [str(ROOT / ".ci" / "audit")],
        cwd=ROOT,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unreachable_service_is_reported_as_not_run_without_failing(tmp_path):
    result = run_audit(tmp_path, curl_exit=22)  # HTTP 404, as from a mirror without the JSON API
    assert result.returncode == 0
    assert "DEPENDENCY AUDIT NOT RUN: advisory service unreachable" in result.stdout
    args = (tmp_path / "curl-args").read_text()
    assert "--max-time 10" in args and "https://pypi.org/pypi/django/" in args


@pytest.mark.parametrize(
    "output, exit_code, returncode, message",
    [
        ("No known vulnerabilities found", 0, 0, "no known vulnerability"),
        ("Found 2 known vulnerabilities in 1 package", 1, 1, "DEPENDENCY AUDIT FAILED"),
        ("ERROR: annotated-types: Dependency not found on PyPI and could not be audited", 1, 0, "NOT COMPLETED"),
    ],
)
def test_audit_outcomes(tmp_path, output, exit_code, returncode, message):
    script = f'echo "$@" > "{tmp_path}/pip-audit-args"\necho "{output}"\nexit {exit_code}\n'
    result = run_audit(tmp_path, curl_exit=0, pip_audit=script)
    assert result.returncode == returncode, result.stdout + result.stderr
    assert message in result.stdout
    args = (tmp_path / "pip-audit-args").read_text()
    assert "--strict" in args and "--require-hashes" in args and "-r requirements.lock" in args
