"""cdkg.graph"""
