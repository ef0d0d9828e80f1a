"""The classify stage: which requests a person's mail makes, in which language, and why.

    classify(mail, client_contact=False) -> Classification
    explain(mail, client_contact=False) -> dict   (for ``mailbot classify FILE --json``)
    render_explanation(dict) -> str               (its plain-text form)
    needs_triage(classification) -> bool          (a person looks first)

Pure and fast: lexicons (``lexicons/*.toml``) are loaded once; no other I/O.
"""

from __future__ import annotations

from mailbot.classify.classifier import (
    EMIT_AT,
    TRIAGE_BELOW,
    needs_triage,
    run,
    triage_reasons,
    wording,
)
from mailbot.classify.explain import explain, render_explanation
from mailbot.domain.mail import Classification, ParsedMail


def classify(mail: ParsedMail, *, client_contact: bool = False) -> Classification:
    """Classify a mail a person wrote (auto-replies and bounces are filtered before this)."""
    return run(mail, client_contact=client_contact).classification


__all__ = ["EMIT_AT", "TRIAGE_BELOW", "classify", "explain", "needs_triage",
           "render_explanation", "triage_reasons", "wording"]
