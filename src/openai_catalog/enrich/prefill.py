"""`catalog add --from-hub REPO`: what a Hub repo says, as field values of a new entry.

One call through the enrichment Hub client (its timeouts, retries, rate-limit handling and token
redaction included), then a mapping to the catalogue's vocabulary: the card's licence through the
licence table, the creation date as `released`, the pipeline tag as modalities and a tag, the
safetensors total as `parameters`, the Hub author as a community id, base models as `based_on`.
Only what the Hub states is returned; whatever does not map is left for the contributor.
"""

from __future__ import annotations

from typing import Any

from openai_catalog.errors import CatalogError

# The Hub's pipeline tags, as the modalities of the catalogue they involve.
PIPELINE_MODALITIES: dict[str, list[str]] = {
    "text-generation": ["text"], "text2text-generation": ["text"], "fill-mask": ["text"],
    "text-classification": ["text"], "token-classification": ["text"], "translation": ["text"],
    "summarization": ["text"], "question-answering": ["text"], "feature-extraction": ["text"],
    "sentence-similarity": ["text"], "zero-shot-classification": ["text"],
    "text-to-image": ["text", "image"], "image-to-text": ["image", "text"],
    "image-text-to-text": ["image", "text"], "visual-question-answering": ["image", "text"],
    "image-classification": ["image"], "object-detection": ["image"],
    "image-segmentation": ["image"], "mask-generation": ["image"], "image-to-image": ["image"],
    "unconditional-image-generation": ["image"], "depth-estimation": ["image"],
    "zero-shot-image-classification": ["image", "text"], "text-to-video": ["text", "video"],
    "image-to-video": ["image", "video"], "video-classification": ["video"],
    "automatic-speech-recognition": ["speech", "text"], "text-to-speech": ["text", "speech"],
    "text-to-audio": ["text", "audio"], "audio-classification": ["audio"],
    "audio-to-audio": ["audio"], "time-series-forecasting": ["time-series"],
    "tabular-classification": ["tabular"], "tabular-regression": ["tabular"],
    "graph-ml": ["graph"], "text-to-3d": ["text", "3d"], "image-to-3d": ["image", "3d"],
}
HUB_PAGES = {"model": "", "dataset": "datasets/", "tool": "spaces/", "compute": "spaces/"}


class HubPrefillFailed(CatalogError):
    """The Hub did not describe the repo: gone, gated, unreachable."""


def hub_values(kind: str, repo_id: str, catalog: Any, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """Field values for a new `kind` entry from the Hub repo `repo_id` (fetched unless given)."""
    if kind == "community":
        raise HubPrefillFailed("--from-hub fills models, datasets, tools and compute programs",
                               "for a community, give --hub ORG and the other fields")
    if fields is None:
        fields = fetch(kind, repo_id)
    resolved = str(fields.get("resolved_id") or repo_id)
    owner, _, name = resolved.rpartition("/")
    page = f"https://huggingface.co/{HUB_PAGES[kind]}{resolved}"
    values: dict[str, Any] = {"name": name, "hub": resolved, "url": page, "sources": [page]}
    licence = catalog.licenses.get(str(fields.get("license") or ""))
    if licence is not None:
        values["license"] = licence.id
    created = fields.get("created_at")
    if isinstance(created, str) and len(created) >= 10:
        values["released"] = created[:10]
    pipeline = fields.get("pipeline_tag")
    if isinstance(pipeline, str) and pipeline in PIPELINE_MODALITIES:
        values["modalities"] = PIPELINE_MODALITIES[pipeline]
        values["tags"] = [pipeline]
    if kind == "model" and isinstance(fields.get("parameters"), int):
        values["parameters"] = fields["parameters"]
    gated = fields.get("gated")
    if gated is not None and kind in ("model", "dataset"):
        values["weights" if kind == "model" else "access"] = "gated" if gated in ("auto", "manual") else "open"
    by_hub = {str(e.hub).lower(): e.id for e in catalog.entries("community") if e.hub}
    if owner and owner.lower() in by_hub:
        values["by"] = [by_hub[owner.lower()]]
    if kind == "model":
        models = {str(e.hub).lower(): e.id for e in catalog.entries("model") if e.hub}
        bases = [models[b.lower()] for b in fields.get("base_models") or [] if b.lower() in models]
        if bases:
            values["based_on"] = bases
    return {k: v for k, v in values.items() if v not in (None, [], "")}


def fetch(kind: str, repo_id: str) -> dict[str, Any]:
    """One Hub call for `repo_id`, under the enrichment policy; HubPrefillFailed if it fails."""
    from openai_catalog.enrich.hub import HubClient
    from openai_catalog.enrich.policy import FetchError, Gate, Settings

    settings = Settings(concurrency=1, max_wait=30.0)
    try:
        with HubClient(settings, Gate("Hub", 1, settings.max_wait)) as hub:
            return hub.fetch(kind, repo_id)
    except FetchError as exc:
        hints = {"not_found": "check the repo id, e.g. EleutherAI/gpt-j-6b (case matters)",
                 "gated": "the repo is gated: set HF_TOKEN to a token that has access, or give "
                          "the fields as flags"}
        raise HubPrefillFailed(f"the Hub could not describe {repo_id}: {exc.message}",
                               hints.get(exc.kind, "give the fields as flags instead")) from None
