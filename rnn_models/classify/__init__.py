"""Sequence classification: a many-to-one RNN reads names, reviews or voices and gives one answer."""
