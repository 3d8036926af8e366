"""Cross-training and temporary library cards: trainings and attendance, records, the
requirement matrix, the card pool."""
