"""`python -m rnn_models bench`: every speed figure beside its baseline or ceiling, in one run."""
