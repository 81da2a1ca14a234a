"""The JSON document: versioned, documented in the README, stable for machines to read.

``version`` changes only when a field changes meaning or disappears; new fields may be added.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from leakguard.model import Finding, History, Report, StaleEntry, Stats

JSON_VERSION = 1


def history_dict(history: History | None) -> dict[str, Any] | None:
    if history is None:
        return None

    def commit(info: Any) -> dict[str, str] | None:
        if info is None:
            return None
        return {"sha": info.sha, "author": info.author_name, "email": info.author_email,
                "date": info.date, "summary": info.summary}

    return {
        "introduced": commit(history.introduced),
        "removed": commit(history.removed),
        "present_at_head": history.present_at_head,
        "refs": list(history.refs),
        "commits": history.commits,
    }


def finding_dict(finding: Finding, report: Report) -> dict[str, Any]:
    rule = report.rules.get(finding.rule_id)
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "rule_name": rule.name if rule else finding.rule_id,
        "level": str(finding.level),
        "category": str(finding.category),
        "confidence": str(finding.confidence),
        "path": finding.path,
        "location": finding.location,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "lines": list(finding.lines),
        "occurrences": finding.occurrences,
        "blob_id": finding.blob_id,
        "fingerprint": finding.fingerprint,
        "secret_id": finding.secret_id,
        "redacted": finding.redacted,
        "snippet": finding.snippet,
        "allowed_level": str(finding.allowed_level) if finding.allowed_level else None,
        "violation": finding.violation,
        "history": history_dict(finding.history),
    }
    if report.secrets_shown:
        data["secret"] = finding.secret
    if finding.suppression is not None:
        data["suppression"] = {
            "kind": str(finding.suppression.kind),
            "reason": finding.suppression.reason,
            "justification": finding.suppression.justification,
        }
    return data


def stats_dict(stats: Stats) -> dict[str, Any]:
    return {
        "files_scanned": stats.files_scanned,
        "bytes_scanned": stats.bytes_scanned,
        "skipped": dict(stats.skipped),
        "rule_timeouts": stats.rule_timeouts,
        "rules_loaded": stats.rules_loaded,
        "commits": stats.commits,
        "blobs": stats.blobs,
        "duration_seconds": stats.duration_seconds,
    }


def stale_dict(entry: StaleEntry) -> dict[str, str]:
    return {"fingerprint": entry.fingerprint, "rule_id": entry.rule_id, "path": entry.path,
            "source": entry.source}


def report_dict(report: Report) -> dict[str, Any]:
    by_level = {str(level): count for level, count in report.findings_by_level().items()}
    return {
        "version": JSON_VERSION,
        "tool": {"name": "leakguard", "version": report.tool_version},
        "scan": {
            "root": report.root,
            "mode": report.mode,
            "fail_on": str(report.fail_on) if report.fail_on else None,
            "policy": report.meta.get("policy"),
            "max_level": report.meta.get("max_level"),
            "ruleset": report.meta.get("ruleset"),
            "secrets_shown": report.secrets_shown,
        },
        "summary": {
            "findings": len(report.findings),
            "violations": len(report.violations),
            "by_level": by_level,
            "suppressed": len(report.suppressed),
            "suppressed_by_reason": report.suppressed_by_reason(),
            "stale": len(report.stale),
        },
        "findings": [finding_dict(f, report) for f in report.findings],
        "suppressed": [finding_dict(f, report) for f in report.suppressed],
        "stale": [stale_dict(e) for e in report.stale],
        "stats": stats_dict(report.stats),
        "warnings": list(report.warnings),
    }


def write_json(report: Report, out: TextIO) -> None:
    json.dump(report_dict(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
