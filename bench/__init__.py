"""cdkg.bench"""
