"""Knowledge about kinds of projects: the spending-kind taxonomy (corpus/kinds.yaml), kind
inference, slot templates learned from the corpus, name cleaning, and the relevance gate that
decides whether a precedent is close enough to suggest (``assistant.knowledge.gate``)."""
