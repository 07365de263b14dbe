"""Packaged data: the lexicon (``lexicon/*.ttl``), rule patterns and trigger words
(``patterns/*.json``) and an example linked dataset (``linked/``). The example documents in
``documents/`` are a project folder's input, not package data."""
