"""cdkg.visualize"""
