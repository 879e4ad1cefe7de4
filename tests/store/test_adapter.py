"""Findings reduced for the inventory and reports: evidence lines and symptoms."""

from __future__ import annotations

from advisor.store.adapter import evidence_summary

SWAP_IN = {
    "text": "Swap in 462 kB/s",
    "source": "vmstat",
    "line": 4,
    "node": "rails-1",
}
UNEXPLAINED = {"text": "Unexplained share 88%", "source": "production_json.log"}


def test_evidence_lines_keep_their_sources_and_symptoms_follow() -> None:
    symptoms = [
        {"id": "MEMORY_SWAP_IN_USE", "title": "Swap is in use", "evidence": [SWAP_IN]},
        {
            "id": "PUMA_WATCHDOG_RESTARTS",
            "title": "Puma memory watchdog restarts workers",
            "evidence": [
                {"text": "14 'rss memory limit exceeded' lines", "source": "app.log"}
            ],
        },
    ]
    assert evidence_summary([SWAP_IN, UNEXPLAINED], symptoms).splitlines() == [
        "Swap in 462 kB/s [rails-1: vmstat:4]",
        "Unexplained share 88% [production_json.log]",
        # A symptom whose evidence is all listed above adds only its name.
        "Symptom: Swap is in use (MEMORY_SWAP_IN_USE)",
        "Symptom: Puma memory watchdog restarts workers (PUMA_WATCHDOG_RESTARTS): "
        "14 'rss memory limit exceeded' lines [app.log]",
    ]


def test_only_the_first_five_items_are_kept() -> None:
    items = [{"text": f"item {n}"} for n in range(7)]
    assert evidence_summary(items).splitlines()[-2:] == ["item 4", "(+2 more)"]
