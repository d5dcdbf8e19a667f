"""The ``crm`` command, run as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

CRM = [sys.executable, "-m", "app.cli"]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(tmp_path):
    return {
        **os.environ,
        "CRM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
        "CRM_DATA_DIR": str(tmp_path),
        "CRM_SECRET_KEY": "",
        "CRM_LOG_LEVEL": "WARNING",
    }


def crm(env, *args, stdin=None):
    return subprocess.run(
        [*CRM, *args], env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_create_user_reads_a_piped_password_and_token_signs_for_that_user(env, tmp_path):
    assert crm(env, "migrate").returncode == 0
    created = crm(
        env,
        "create-user",
        "--email",
        "Priya@Sanvi.example",
        "--name",
        "Priya Nair",
        "--role",
        "manager",
        stdin="a-long-enough-password\n",
    )
    assert created.returncode == 0, created.stderr
    assert "Password (shown once)" not in created.stdout

    token = crm(env, "token", "--email", "priya@sanvi.example")

    assert token.returncode == 0, token.stderr
    secret = (tmp_path / "secret_key").read_text().strip()
    claims = jwt.decode(token.stdout.strip(), secret, algorithms=["HS256"], audience="sanvi-crm")
    assert claims["sub"] == "1"


def test_token_for_an_unknown_email_fails_with_a_message(env):
    assert crm(env, "migrate").returncode == 0
    result = crm(env, "token", "--email", "nobody@sanvi.example")
    assert result.returncode != 0
    assert "No active user" in result.stderr


def test_create_user_rejects_a_short_password(env):
    assert crm(env, "migrate").returncode == 0
    result = crm(
        env,
        "create-user",
        "--email",
        "a@sanvi.example",
        "--name",
        "A",
        "--role",
        "SALES",
        stdin="short\n",
    )
    assert result.returncode != 0
    assert "at least" in result.stderr


def test_export_schema_writes_the_sdl(env, tmp_path):
    target = tmp_path / "schema.graphql"
    result = crm(env, "export-schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert "type Customer" in target.read_text()


def test_production_refuses_to_start_without_a_secret_key(env):
    result = crm({**env, "CRM_ENVIRONMENT": "production"}, "migrate")
    assert result.returncode != 0
    assert "CRM_SECRET_KEY" in result.stderr
