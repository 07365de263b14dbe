"""Reading text: documents and their metadata, normalization with offset maps, the lexicon and its
gazetteer, dates, and mentions (the first stages of the flow: document -> mentions)."""
