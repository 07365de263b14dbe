"""cdkg.queries"""
