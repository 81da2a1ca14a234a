"""``leakguard policy``: check a policy file, and make hashed codename/customer entries."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from leakguard.app.pipeline import load_rules_for
from leakguard.cli.boundary import guarded
from leakguard.cli.output import stderr_console
from leakguard.errors import UsageError
from leakguard.model import Level
from leakguard.policy import POLICY_FILE, Policy, load_policy
from leakguard.vocabulary import MIN_NAME_LENGTH, name_digest, normalise_name

policy_app = typer.Typer(
    help="Check the repository policy and make hashed dictionary entries.\n\n"
         "Example: leakguard policy hash \"Blue Heron\" --level restricted",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")


def _load(config: Path | None) -> Policy:
    policy = load_policy(Path.cwd(), config)
    if policy.source is None:
        raise UsageError(f"no policy found: {POLICY_FILE} is not in the current folder "
                         "(run `leakguard init`, or pass --config FILE)")
    return policy


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@policy_app.command("check", help="Validate the policy and the rules it adds; exit 2 on any "
                                  "error.\n\nExample: leakguard policy check --config ci/policy.yaml")
@guarded
def check_command(
    config: Path | None = typer.Option(None, "--config", "-c", dir_okay=False,
                                       help=f"Policy file (default: ./{POLICY_FILE})."),
) -> None:
    policy = _load(config)
    ruleset = load_rules_for(policy, (), True)
    hashed = sum(e.hashed for e in (*policy.codenames, *policy.customers))
    parts = [
        f"max_level {policy.max_level}",
        _plural(len(policy.paths), "path override"),
        _plural(len(policy.codenames), "codename"),
        _plural(len(policy.customers), "customer"),
        f"{hashed} hashed",
        _plural(len(policy.internal_domains), "internal domain"),
        _plural(len(policy.internal_networks), "internal network"),
        _plural(len(ruleset), "rule"),
    ]
    sys.stdout.write(f"{policy.source}: OK ({', '.join(parts)}).\n")


@policy_app.command("hash", help="Print salted-hash entries for codenames or customers, to paste "
                                 "into the policy.\n\nNames are read from the arguments, or one "
                                 "per line from standard input with '-' (keeps them out of shell "
                                 "history).\n\nExample: leakguard policy hash \"Blue Heron\" "
                                 "--level restricted")
@guarded
def hash_command(
    names: list[str] = typer.Argument(..., metavar="NAME...", help="Names to hash, or '-'."),
    level: Level | None = typer.Option(None, "--level", case_sensitive=False,
                                       help="Level to give the entries (default confidential)."),
    salt: str | None = typer.Option(None, "--salt",
                                    help="Salt to use (default: the policy's 'salt')."),
    config: Path | None = typer.Option(None, "--config", "-c", dir_okay=False,
                                       help=f"Policy whose salt to use (default ./{POLICY_FILE})."),
) -> None:
    if salt is None:
        policy = _load(config)
        if policy.salt is None:
            raise UsageError(f"{policy.source} has no 'salt'; add one (`leakguard init` writes a "
                             "random one) or pass --salt")
        salt = policy.salt
    if names == ["-"]:
        names = [line for line in sys.stdin.read().splitlines() if line.strip()]
    for index, name in enumerate(names, 1):
        normal = normalise_name(name)
        if len(normal) < MIN_NAME_LENGTH or not (normal[0].isalnum() and normal[-1].isalnum()):
            raise UsageError(f"name {index}: a name needs at least {MIN_NAME_LENGTH} characters "
                             "and must start and end with a letter or digit")
        words = len(normal.split())
        fields = [f"sha256: {name_digest(salt, normal)}"]
        if words > 1:
            fields.append(f"words: {words}")
        if level is not None:
            fields.append(f"level: {level.value}")
        sys.stdout.write(f"  - {{{', '.join(fields)}}}\n")
    stderr_console().print("Paste these under 'codenames:' or 'customers:' in the policy.",
                           highlight=False, markup=False)
