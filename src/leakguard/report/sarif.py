"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

What GitHub needs and peers get wrong: relative ``artifactLocation.uri``; every reported rule in
``tool.driver.rules`` with ``help`` and a ``security-severity``; ``partialFingerprints`` holding
a content fingerprint only (never commit metadata); no secret anywhere in the file; suppressed
findings present with ``suppressions`` so they show as dismissed rather than vanish.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from leakguard.model import Finding, Level, Report, RuleInfo
from leakguard.report.json_report import history_dict

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "leakguardFingerprint/v1"
INFORMATION_URI = "https://github.com/leakguard/leakguard"

SARIF_LEVEL = {
    Level.PROHIBITED: "error",
    Level.RESTRICTED: "error",
    Level.CONFIDENTIAL: "warning",
    Level.INTERNAL: "note",
    Level.PUBLIC: "note",
}
SECURITY_SEVERITY = {
    Level.PROHIBITED: "9.5",
    Level.RESTRICTED: "8.0",
    Level.CONFIDENTIAL: "5.0",
    Level.INTERNAL: "2.0",
    Level.PUBLIC: "0.0",
}
PRECISION = {"high": "high", "medium": "medium", "low": "low"}


def _rule_help(rule: RuleInfo) -> tuple[str, str]:
    text = [rule.description or rule.name, "", f"Level: {rule.level}. Category: {rule.category}."]
    markdown = [f"**{rule.name}**", "", rule.description or "",
                "", f"Level: `{rule.level}` · Category: `{rule.category}` · "
                f"Confidence: `{rule.confidence}`"]
    if rule.remediation:
        text += ["", f"Remediation: {rule.remediation}"]
        markdown += ["", "**Remediation.** " + rule.remediation]
    if rule.references:
        text += ["", "References: " + ", ".join(rule.references)]
        markdown += ["", "References:", *[f"- <{ref}>" for ref in rule.references]]
    return "\n".join(text).strip(), "\n".join(markdown).strip()


def rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    help_text, help_markdown = _rule_help(rule)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.description or rule.name},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.level]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[rule.level],
            "precision": PRECISION[str(rule.confidence)],
            "tags": ["security", "leakguard", str(rule.category), f"level:{rule.level}",
                     *rule.tags],
            "level": str(rule.level),
            "category": str(rule.category),
        },
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    return descriptor


def _message(finding: Finding, rule: RuleInfo | None) -> str:
    name = rule.name if rule else finding.rule_id
    where = f" in {finding.location}" if finding.location else ""
    text = f"{name} ({finding.level}, {finding.confidence} confidence){where}: {finding.redacted}"
    if finding.violation:
        allowed = finding.allowed_level or "nothing"
        text += f". Violation: at most {allowed} is allowed at this path."
    if finding.history is not None and finding.history.introduced is not None:
        introduced = finding.history.introduced
        text += f" Introduced in {introduced.sha[:12]} ({introduced.date})."
        if not finding.history.present_at_head:
            text += " No longer at HEAD but still in history."
    return text


def result(finding: Finding, report: Report, rule_index: dict[str, int]) -> dict[str, Any]:
    rule = report.rules.get(finding.rule_id)
    region: dict[str, Any] = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": max(finding.end_column, 1),
    }
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    properties: dict[str, Any] = {
        "level": str(finding.level),
        "category": str(finding.category),
        "confidence": str(finding.confidence),
        "violation": finding.violation,
        "allowedLevel": str(finding.allowed_level) if finding.allowed_level else None,
        "secretId": finding.secret_id,
        "redacted": finding.redacted,
        "occurrences": finding.occurrences,
    }
    if finding.location:
        properties["location"] = finding.location
    if finding.blob_id:
        properties["blob"] = finding.blob_id
    if finding.history is not None:
        properties["history"] = history_dict(finding.history)
    entry: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": SARIF_LEVEL[finding.level] if finding.violation else "note",
        "message": {"text": _message(finding, rule)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": quote(finding.path, safe="/!"),
                                     "uriBaseId": "%SRCROOT%"},
                "region": region,
            },
        }],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if finding.suppression is not None:
        suppression: dict[str, Any] = {"kind": str(finding.suppression.kind), "status": "accepted"}
        justification = finding.suppression.justification or finding.suppression.reason
        suppression["justification"] = f"{finding.suppression.reason}: {justification}"
        entry["suppressions"] = [suppression]
    return entry


def sarif_dict(report: Report) -> dict[str, Any]:
    rules = [report.rules[rule_id] for rule_id in sorted(report.rules)]
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    root_uri = "file://" + quote(report.root.rstrip("/") + "/") if report.root.startswith("/") \
        else "file:///" + quote(report.root.replace("\\", "/").rstrip("/") + "/")
    results = [result(f, report, rule_index) for f in (*report.findings, *report.suppressed)]
    notifications = [
        {"level": "warning", "message": {"text": warning}} for warning in report.warnings
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "leakguard",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": notifications,
                "properties": {"mode": report.mode,
                               "filesScanned": report.stats.files_scanned,
                               "skipped": dict(report.stats.skipped)},
            }],
            "results": results,
        }],
    }


def write_sarif(report: Report, out: TextIO) -> None:
    json.dump(sarif_dict(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
