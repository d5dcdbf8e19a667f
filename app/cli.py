"""The ``crm`` command: serve, migrate, seed demo data, create users, mint tokens, export SDL."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from pathlib import Path

from app.db import Database, create_database
from app.logging import configure_logging
from app.migrate import upgrade_to_head
from app.settings import Settings, get_settings
from models.enums import Role

ROOT = Path(__file__).resolve().parent.parent


async def _with_database(settings: Settings, work) -> object:  # type: ignore[no-untyped-def]
    db = create_database(settings)
    try:
        return await work(db)
    finally:
        await db.dispose()


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(_with_database(settings, lambda db: upgrade_to_head(db.engine)))
    print(f"Database migrated to the latest schema ({_safe_url(settings)}).")
    return 0


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


async def _seed(db: Database, customers: int, seed: int, *, only_if_empty: bool) -> str:
    from scripts.seed_demo import database_is_empty, seed_demo

    await upgrade_to_head(db.engine)
    if not await database_is_empty(db):
        if only_if_empty:
            return "The database already has data; demo data not added."
        raise SystemExit("The database is not empty; seed-demo only fills an empty database.")
    stats = await seed_demo(db, customers=customers, seed=seed, progress=print)
    return (
        f"Seeded {stats.customers} customers, {stats.orders} orders, {stats.quotations} "
        f"quotations, {stats.interactions} interactions, {stats.tasks} tasks "
        f"in {stats.seconds:.1f} s."
    )


def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    message = asyncio.run(
        _with_database(
            settings, lambda db: _seed(db, args.customers, args.seed, only_if_empty=False)
        )
    )
    print(message)
    return 0


async def _create_user(db: Database, email: str, name: str, role: Role, password: str) -> None:
    from resolvers.errors import DomainError
    from resolvers.users import create_user

    async with db.write_session() as session:
        try:
            await create_user(session, email=email, name=name, role=role, password=password)
        except DomainError as exc:
            raise SystemExit(f"Cannot create the user: {exc.message}") from exc
        await session.commit()


def cmd_create_user(args: argparse.Namespace, settings: Settings) -> int:
    generated = sys.stdin.isatty() or sys.stdin.closed
    password = secrets.token_urlsafe(12) if generated else sys.stdin.readline().rstrip("\n")
    role = Role(args.role.upper())
    asyncio.run(
        _with_database(settings, lambda db: _create_user(db, args.email, args.name, role, password))
    )
    print(f"Created {role.value} {args.email.lower()}.")
    if generated:
        print(f"Password (shown once): {password}")
    return 0


async def _token(db: Database, settings: Settings, email: str, ttl: int | None) -> str:
    import datetime as dt

    from app.auth import TokenService
    from resolvers.users import user_by_email

    async with db.read_session() as session:
        user = await user_by_email(session, email)
    if user is None or not user.active:
        raise SystemExit(f"No active user with the email {email}.")
    tokens = TokenService(settings.resolved_secret_key(), settings.token_ttl_seconds)
    token, _ = tokens.issue(user.id, dt.timedelta(seconds=ttl) if ttl else None)
    return token


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    print(
        asyncio.run(_with_database(settings, lambda db: _token(db, settings, args.email, args.ttl)))
    )
    return 0


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from schema.sdl import schema_sdl

    path = Path(args.output)
    path.write_text(schema_sdl())
    print(f"Wrote {path}.")
    return 0


async def _run_task(settings: Settings, name: str, force: bool) -> object:
    from app.platform import create_platform
    from app.scheduler import TASKS, run_task

    platform = create_platform(settings)
    await platform.start(background=False)
    try:
        if force:
            return await TASKS[name].run(platform)
        return await run_task(platform, name)
    finally:
        await platform.stop()


def cmd_run_task(args: argparse.Namespace, settings: Settings) -> int:
    result = asyncio.run(_run_task(settings, args.name, args.force))
    if result is None:
        print(f"{args.name}: already run in this period by another process (use --force).")
    else:
        print(f"{args.name}: {result}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if args.demo:
        from scripts.seed_demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD

        print(
            asyncio.run(
                _with_database(
                    settings,
                    lambda db: _seed(db, args.demo_customers, 42, only_if_empty=True),
                )
            )
        )
        token = asyncio.run(
            _with_database(
                settings, lambda db: _token(db, settings, DEMO_ADMIN_EMAIL, 7 * 24 * 3600)
            )
        )
        base = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
        print(
            "\n"
            f"  GraphiQL:   {base}/graphql\n"
            f"  Sign in:    {DEMO_ADMIN_EMAIL} / {DEMO_PASSWORD}  (mutation login)\n"
            f"  Or send the header (valid 7 days):\n"
            f'  {{"Authorization": "Bearer {token}"}}\n',
            flush=True,
        )
    else:
        cmd_migrate(args, settings)
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers if not args.reload else None,
        reload=args.reload,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
    return 0


def cmd_clv_backtest(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt
    import json

    from app.clv_config import clv_config
    from resolvers.clv_backtest import (
        BacktestInputError,
        Columns,
        format_report,
        read_transactions,
        run_backtest,
    )

    try:
        calibration_end = dt.date.fromisoformat(args.calibration_end)
        holdout_end = dt.date.fromisoformat(args.holdout_end) if args.holdout_end else None
        data = read_transactions(
            Path(args.transactions), Columns(args.customer_col, args.date_col, args.amount_col)
        )
        report = run_backtest(
            data,
            calibration_end=calibration_end,
            holdout_end=holdout_end,
            config=clv_config(settings),
        )
    except (BacktestInputError, ValueError) as exc:
        print(f"clv-backtest: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crm", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, then serve the API with Uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--reload", action="store_true")
    serve.add_argument(
        "--demo",
        action="store_true",
        help="seed demo data into an empty database and print a ready bearer token",
    )
    serve.add_argument("--demo-customers", type=int, default=2000)
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)

    seed = commands.add_parser("seed-demo", help="fill an empty database with demo data")
    seed.add_argument("--customers", type=int, default=2000)
    seed.add_argument("--seed", type=int, default=42)
    seed.set_defaults(run=cmd_seed_demo)

    user = commands.add_parser(
        "create-user", help="create a user (password from stdin when piped, else generated)"
    )
    user.add_argument("--email", required=True)
    user.add_argument("--name", required=True)
    user.add_argument(
        "--role", required=True, choices=[r.value for r in Role] + [r.value.lower() for r in Role]
    )
    user.set_defaults(run=cmd_create_user)

    token = commands.add_parser("token", help="print a bearer token for an existing user")
    token.add_argument("--email", required=True)
    token.add_argument("--ttl", type=int, help="lifetime in seconds")
    token.set_defaults(run=cmd_token)

    from app.scheduler import TASKS

    task = commands.add_parser(
        "run-task",
        help="run a periodic task once",
        description="\n".join(f"{t.name}: {t.description}" for t in TASKS.values()),
    )
    task.add_argument("name", choices=sorted(TASKS))
    task.add_argument(
        "--force", action="store_true", help="run even if this period's run already happened"
    )
    task.set_defaults(run=cmd_run_task)

    backtest = commands.add_parser(
        "clv-backtest",
        help="fit the lifetime-value model on a transaction CSV and test it on a holdout",
    )
    backtest.add_argument("transactions", help="CSV file, one row per purchase")
    backtest.add_argument("--calibration-end", required=True, help="YYYY-MM-DD, included")
    backtest.add_argument("--holdout-end", help="YYYY-MM-DD, included")
    backtest.add_argument("--customer-col", default="customer_id")
    backtest.add_argument("--date-col", default="date")
    backtest.add_argument("--amount-col", default="amount")
    backtest.add_argument("--json", action="store_true", help="one JSON object on stdout")
    backtest.set_defaults(run=cmd_clv_backtest)

    export = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("--output", default=str(ROOT / "schema.graphql"))
    export.set_defaults(run=cmd_export_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    return args.run(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
