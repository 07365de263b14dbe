"""cdkg.ontology"""
