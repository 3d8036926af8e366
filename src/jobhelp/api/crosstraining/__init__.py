"""The cross-training and temporary cards API, mounted under /api/v1/partnerships/."""
