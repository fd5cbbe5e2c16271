"""Validation rules: each class is one rule, its id stable forever and its docstring its documentation.

A rule only describes a problem; the checks live where the facts are (the YAML loader, the schema,
the cross-entry checks of the checks/ package) and report through `Rule.at(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place. `line` and `col` are 1-based; 0 means the whole file."""

    rule: str
    severity: Severity
    path: str
    line: int
    col: int
    message: str
    hint: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "hint": self.hint,
        }


class Rule:
    """Base of all rules; subclasses register themselves by id."""

    id: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    online: ClassVar[bool] = False  # checked only by `validate --online`
    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        if cls.id in Rule.registry:
            raise ValueError(
                f"rule id {cls.id} used twice: {Rule.registry[cls.id].__name__}, {cls.__name__}"
            )
        Rule.registry[cls.id] = cls

    @classmethod
    def at(cls, path: str, line: int, col: int, message: str, hint: str | None = None) -> Finding:
        return Finding(cls.id, cls.severity, path, line, col, message, hint)

    @classmethod
    def doc(cls) -> str:
        return " ".join((cls.__doc__ or "").split())


# --- the file itself -------------------------------------------------------------------------


class YamlSyntax(Rule):
    """The file is not well-formed YAML. Fix the syntax at the line and column shown."""

    id = "CAT001"


class DuplicateKey(Rule):
    """A mapping has the same key twice; YAML would silently keep only the last. Remove one."""

    id = "CAT002"


class AnchorOrAlias(Rule):
    """Anchors (`&a`) and aliases (`*a`) are refused: they hide data and allow 'billion laughs'
    documents. Write the value out in full."""

    id = "CAT003"


class ExplicitTag(Rule):
    """Explicit tags (`!!python/object`, `!custom`) are refused; plain YAML values suffice."""

    id = "CAT004"


class NotUtf8(Rule):
    """The file is not valid UTF-8. Re-save it as UTF-8."""

    id = "CAT005"


class FileTooLarge(Rule):
    """The file is larger than 1 MiB; an entry is a few kilobytes, so this is not an entry."""

    id = "CAT006"


class NotAMapping(Rule):
    """The file must hold exactly one YAML document whose top level is a mapping of fields."""

    id = "CAT007"


class TooDeep(Rule):
    """The document nests deeper than an entry ever needs; it is refused as hostile."""

    id = "CAT008"


class SchemaHeader(Rule):
    """The first line should be `# yaml-language-server: $schema=../schema.json`, so that
    editors check the entry as it is typed. `catalog fmt` adds it."""

    id = "CAT009"
    severity = "warning"


# --- one entry against the schema -------------------------------------------------------------


class UnknownKey(Rule):
    """A field that the schema does not know, usually a typo; the hint suggests the nearest field."""

    id = "CAT010"


class MissingField(Rule):
    """A required field is absent (id, name, kind, summary, sources; license for models,
    datasets and tools; url for tools, communities and compute programs)."""

    id = "CAT011"


class InvalidValue(Rule):
    """A value has the wrong type or form (slug ids, https URLs, partial dates, parameter counts,
    Hub and GitHub ids, arXiv ids or DOIs)."""

    id = "CAT012"


class InvalidChoice(Rule):
    """A value is not one of the allowed choices (kind, status, weights, access, modality,
    category, community type); the hint suggests the nearest one."""

    id = "CAT013"


class UnknownKind(Rule):
    """`kind` must be one of model, dataset, compute, tool, community."""

    id = "CAT014"


class ControlCharacter(Rule):
    """Text holds a control character (C0 or C1, DEL) or a bidirectional override or isolate
    (U+202A-202E, U+2066-2069). They are invisible here and act elsewhere: they move a terminal's
    cursor, make a name read backwards in a review, break CSV and markdown. Tabs and line breaks
    are allowed in `description`, `status_note` and evidence quotes only. Delete the character."""

    id = "CAT015"


# --- identity and place -----------------------------------------------------------------------


class IdMismatch(Rule):
    """`id` must equal the file name without `.yaml`, so every entry is found by its id."""

    id = "CAT020"


class KindFolderMismatch(Rule):
    """`kind` must match the folder: models/, datasets/, compute/, tools/, communities/."""

    id = "CAT021"


class DuplicateId(Rule):
    """Two entries share an id; ids are unique across the whole catalogue."""

    id = "CAT022"


class DuplicateHubRepo(Rule):
    """Two entries name the same Hugging Face repo (case aside), as their `hub` or as the `hub`
    of one of their `variants`; one repo has at most one entry. A release's checkpoints belong
    in one entry: move the variant there, or remove the entry that repeats it."""

    id = "CAT023"


class DuplicateGithubRepo(Rule):
    """Two entries name the same GitHub repo; one repo has at most one entry."""

    id = "CAT024"


class OutsideKindFolder(Rule):
    """Entry files live in one of the kind folders of the catalogue, with the `.yaml` suffix."""

    id = "CAT025"


class UnreadableFile(Rule):
    """The entry file cannot be read as an entry: it is not a regular file (a named pipe, a
    device, a socket, or a link to one), or permission to read it is denied. A special file is
    never opened, so that a pipe cannot stall every command and a device cannot fill memory.
    Replace it with a regular YAML file, or make it readable."""

    id = "CAT026"


class OutsideCatalogue(Rule):
    """The entry file is a symbolic link (or lies in a linked folder) that leads outside its
    catalogue. It is not read, and nothing of what it points at is shown: a pull request could
    otherwise publish any file of the machine that checks it. Put the entry itself in the
    catalogue; links between the catalogue's own files are fine."""

    id = "CAT027"


class NoEntries(Rule):
    """The folder given holds no entry files (`<kind folder>/<id>.yaml`), so nothing was checked.
    Point at the catalogue (the folder holding licenses.yaml and models/, datasets/, ...) or at
    entry files."""

    id = "CAT028"


# --- the graph --------------------------------------------------------------------------------


class UnknownTarget(Rule):
    """A relation, `by` or `superseded_by` names an id that no entry has; the hint suggests near ids."""

    id = "CAT030"


class WrongTargetKind(Rule):
    """A relation points to an entry of a kind that does not fit it: `by` needs communities,
    `trained_on` datasets, `supported_by` compute programs or communities, `superseded_by` the same kind."""

    id = "CAT031"


class SelfReference(Rule):
    """An entry relates to itself."""

    id = "CAT032"


class FormerIdReference(Rule):
    """A relation, `by` or `superseded_by` names an id the target entry had before it was
    renamed (the old id lives on in its `aliases`). The reference still leads to the entry, but
    write its current id: the hint names it."""

    id = "CAT033"
    severity = "warning"


# --- values -----------------------------------------------------------------------------------


class UnknownLicense(Rule):
    """The licence (`license`, or a model's `code_license` or `data_license`) is neither an id of
    catalog/licenses.yaml (or one of its aliases) nor a valid SPDX expression of them; the hint
    suggests the nearest id."""

    id = "CAT040"


class LicenseUnknownValue(Rule):
    """The licence resolves to the unknown category (`unknown`, the Hub's `other`, or a family such
    as `cc` that does not say which licence): allowed, but flagged so that someone finds it out."""

    id = "CAT041"
    severity = "warning"


class DateNotReal(Rule):
    """A date that does not exist in the calendar (month 13, 30 February)."""

    id = "CAT050"


class DateInFuture(Rule):
    """A release or founding date after today."""

    id = "CAT051"


class SummaryLength(Rule):
    """The summary is one sentence of at most 200 characters (and at least 20)."""

    id = "CAT052"


class TagFormat(Rule):
    """Tags are lowercase slugs: letters, digits and single hyphens (`language-model`)."""

    id = "CAT053"


class StatusIncomplete(Rule):
    """A superseded entry names `superseded_by`; a withdrawn, deprecated or superseded entry
    explains itself in `status_note`; `superseded_by` and `status_note` need a status to explain."""

    id = "CAT054"
    severity = "warning"


class NoSources(Rule):
    """Every fact needs a source: list the pages that back the entry under `sources`, or back its
    key facts under `evidence` (whose sources count as sources of the entry)."""

    id = "CAT055"


class DuplicateListItem(Rule):
    """A list repeats the same value."""

    id = "CAT056"
    severity = "warning"


class DuplicateVariant(Rule):
    """A model lists two `variants` with the same Hub repo (case aside) or the same name. Each
    checkpoint of a release is listed once: remove the repeat, or fix its `hub` or `name`."""

    id = "CAT057"


class VariantParameters(Rule):
    """A model with `variants` gives a `parameters` count that is not its largest variant's (or
    none while its variants give counts). The entry's own count is the largest checkpoint's, so
    that sorting and filtering by size treat the release as its largest member: set `parameters`
    to the largest variant's count, or fix the variant's."""

    id = "CAT058"
    severity = "warning"


# --- the licence table ------------------------------------------------------------------------


class LicenseTableInvalid(Rule):
    """catalog/licenses.yaml is malformed: every licence needs an id and a known category;
    `spdx` holds the licence's SPDX id (a string such as `Apache-2.0`, or nothing when the licence
    has none); `url` is https; the attributes are true, false or null; and every id, alias and
    SPDX id names one licence only."""

    id = "CAT060"


# --- drift: the enrichment snapshot against the curated entry ----------------------------------
# Curated values win; these say where the Hub or GitHub now disagree, from catalog/enrichment.json
# as the last `catalog enrich` left it. They are warnings: someone should look, and either fix the
# entry (citing a source) or confirm it.


class HubLicenseDrift(Rule):
    """The licence on the Hub (the model card's `license`, mapped through the aliases of
    catalog/licenses.yaml) is not among the licences the entry names. Check the card and the
    entry's sources; fix whichever is wrong, or add the Hub's id as an alias of the right licence."""

    id = "CAT070"
    severity = "warning"


class HubRenamed(Rule):
    """The Hub repo moved: asking for the entry's `hub` id redirects to another id. Set `hub:` to
    the new id (and keep the old name in `aliases` if people know it)."""

    id = "CAT071"
    severity = "warning"


class HubNotFound(Rule):
    """The Hub has no repo (or account) with the entry's `hub` id any more, or it became private.
    Find where it went, or record what happened in `status` and `status_note`."""

    id = "CAT072"
    severity = "warning"


class HubGatedButOpen(Rule):
    """The Hub repo is gated (people must accept terms or be approved before downloading), while
    the entry says `weights: open` (or `access: open` for a dataset). Say `gated`, or cite a
    source for an open copy."""

    id = "CAT073"
    severity = "warning"


class HubParameterDrift(Rule):
    """The parameter count the Hub reads from the repo's safetensors files differs from the
    entry's `parameters` by more than 10%. Check the model card; the entry may name another size."""

    id = "CAT074"
    severity = "warning"


class HubDisabled(Rule):
    """The Hub has disabled the repo (for example after a takedown); nobody can download it."""

    id = "CAT075"
    severity = "warning"


class GithubLicenseDrift(Rule):
    """For a tool, the licence GitHub detects in the repository (an SPDX id) is not among the
    licences the entry names. Check the repository's LICENSE file."""

    id = "CAT076"
    severity = "warning"


class GithubRenamed(Rule):
    """The GitHub repository was renamed or transferred: the old name redirects. Set `github:` to
    the new `owner/repo`."""

    id = "CAT077"
    severity = "warning"


class GithubNotFound(Rule):
    """GitHub has no repository with the entry's `github` name any more (deleted, or private)."""

    id = "CAT078"
    severity = "warning"


class GithubArchived(Rule):
    """The GitHub repository is archived (read-only, no longer maintained) while the entry's
    status is active. Consider `status: deprecated` with a `status_note`."""

    id = "CAT079"
    severity = "warning"


class SnapshotInvalid(Rule):
    """catalog/enrichment.json is not a snapshot this program can read. It is generated by
    `catalog enrich` and never edited by hand: restore it from git, or delete it and enrich again."""

    id = "CAT080"


class SnapshotRecordInvalid(Rule):
    """A record of catalog/enrichment.json holds a field of the wrong type or out of range (a
    count that is text, NaN or beyond 10^18; a date that is no date; a field no source has). The
    field is ignored and the rest of the record used. `catalog enrich` never writes such values:
    restore the file from git, or enrich the entry again."""

    id = "CAT081"


DRIFT = frozenset(rule_id for rule_id in Rule.registry if "CAT070" <= rule_id <= "CAT081")


# --- online checks (`catalog validate --online`) -------------------------------------------------


class UrlGone(Rule):
    """A `url` or `sources` address answers 404 Not Found or 410 Gone. Replace it with where the
    page moved, or with an archived copy (https://web.archive.org/...)."""

    id = "CAT085"
    online = True


class UrlUnreachable(Rule):
    """A `url` or `sources` address could not be checked: a timeout, a refused connection, a TLS
    error or another HTTP error, twice. Often temporary; look at it if it persists."""

    id = "CAT086"
    severity = "warning"
    online = True


# --- suppressions (`# catalog: ignore CAT### -- reason`, see suppress.py) -------------------------


class SuppressionUnused(Rule):
    """A `# catalog: ignore` comment silenced nothing in a run that checked its rules: the problem
    it was written for is gone (or it sits on the wrong line). Remove it, so that it cannot hide a
    new problem later."""

    id = "CAT097"
    severity = "warning"


class SuppressionInvalid(Rule):
    """A `# catalog: ignore` comment names no rule, an unknown rule, or gives no reason after `--`.
    It silences nothing until it is fixed: `# catalog: ignore CAT041 -- licence text not yet
    published`."""

    id = "CAT098"


class QuoteGone(Rule):
    """An evidence quote no longer appears on its source page (`validate --online` fetched it,
    reduced it to text, and compared with whitespace, case, quote marks and dashes normalised).
    The page changed: a relicensing, a new parameter count, a moved statement. Read the page, then
    fix the fact and its quote, or cite the page that now states it."""

    id = "CAT087"
    severity = "warning"


class DenylistInvalid(Rule):
    """catalog/source-denylist.yaml is malformed: it holds `domains:`, a list of items each with a
    `domain` (a host such as `aiwiki.ai`, a pattern such as `hf-mirror.*`, or `host/path`) and a
    one-line `reason`."""

    id = "CAT088"


# --- evidence: which page backs which fact ----------------------------------------------------


class MissingEvidence(Rule):
    """A key fact has no evidence: no `evidence:` item quotes the words of a primary page that
    state it. Key facts: for models `license`, `released`, `weights`, and `parameters` when the
    weights are open, and for each of its `variants` on open or gated weights a `parameters`
    count backed by `evidence: variants:` (quotes that list the sizes or repos; they back the
    entry's own count too); for datasets `license`, `released` and `access`; for tools `license`; for
    compute programs `offers`, `eligibility` and `applications`; for communities `url`. Add under
    `evidence:` the field with a `source:` and its verbatim `quote:`. A warning (an error under
    `--strict`)."""

    id = "CAT090"
    severity = "warning"


class EvidenceMismatch(Rule):
    """`evidence:` names a field that the entry's kind does not have (usually a typo: the hint
    suggests the nearest field), or a field the entry leaves empty, so the quote backs nothing.
    Fix the key, add the fact, or remove the evidence."""

    id = "CAT091"


class DeniedSource(Rule):
    """A source (in `sources` or `evidence`) is on a domain that is never acceptable: an AI wiki,
    an aggregator, a mirror of the Hub, a forum paste, a content farm (see
    catalog/source-denylist.yaml for the list and why). Cite the primary page instead: the
    artifact's Hub repository under its maker's account, its GitHub repository, the maker's site
    or the paper."""

    id = "CAT092"


class ForeignHubPage(Rule):
    """A Hugging Face page under an account that is neither the account of the entry's own `hub`
    repository nor the `hub` account of one of its `by` communities: usually a copy of the card
    (a quantisation, a fine-tune, a re-upload) whose words may differ from the original. Cite the
    card under the maker's account. Hugging Face's own docs, blog and papers pages are fine."""

    id = "CAT093"


class RankingWords(Rule):
    """A summary or description ranks instead of describing: "best", "state of the art", "SOTA",
    "world-class", "cutting-edge", "industry-leading", "unmatched" and the like. Our own words
    state facts (sizes, dates, licences, what it does); a claim of rank is the maker's, so write
    it as a quoted claim with its author ("its makers call it \"state of the art\""), with the
    page in `sources`, or leave it out. Text inside quotation marks is not checked."""

    id = "CAT094"
    severity = "warning"


class EmptyRevision(Rule):
    """A GitHub or Hugging Face address in `sources` or `evidence` has an empty path segment, as
    in `github.com/OWNER/REPO/blob//README.md`: it names no branch, tag or commit, so the page it
    points at does not exist and the quote cannot be checked. Put the commit the file was read
    at (40 hex digits) between the slashes."""

    id = "CAT095"


# --- licence lineage: the terms bases pass on (see lineage.py) -----------------------------------


class LicenceLineage(Rule):
    """A derivative claims a licence freer than its base allows: a fine-tune of a non-commercial
    or community-licensed model published as Apache-2.0, a derivative that drops the base's use
    restrictions or share-alike, or a model trained on data whose licence binds trained models
    (`binds_trained_models: true` in licenses.yaml). The message gives the chain of entries and
    licences, from the derivative up `based_on` (through bases whose licence is unknown) to the
    base whose licence decides, and the clause of licenses.yaml that decides. A base made by one
    of the derivative's own makers is not checked: a licensor may relicense its own work. Fix the
    licence or the relation when the entry is wrong; when the base's licensor allowed it, silence
    the finding with `# catalog: ignore CAT100 -- <why>` on the relation's line."""

    id = "CAT100"


RULES = Rule.registry
