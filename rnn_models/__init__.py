"""RNN Studio's model package: recurrent networks, training and data tools (no UI code)."""

__version__ = "0.1.0"
