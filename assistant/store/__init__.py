"""The local document store: drafts with revisions in a TinyDB file under JIXIAO_HOME."""

from assistant.store.drafts import DraftStore, DraftSummary, Revision
from assistant.store.schema import SCHEMA_VERSION
from assistant.store.storage import CorruptStoreError

__all__ = ["DraftStore", "DraftSummary", "Revision", "SCHEMA_VERSION", "CorruptStoreError"]
