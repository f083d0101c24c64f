"""The local document store: drafts with revisions, one TinyDB file per draft under JIXIAO_HOME."""

from assistant.store.draftfile import Revision
from assistant.store.drafts import DraftChanged, DraftDeleted, DraftStore, DraftSummary
from assistant.store.schema import SCHEMA_VERSION
from assistant.store.storage import CorruptStoreError

__all__ = [
    "DraftStore",
    "DraftSummary",
    "DraftChanged",
    "DraftDeleted",
    "Revision",
    "SCHEMA_VERSION",
    "CorruptStoreError",
]
