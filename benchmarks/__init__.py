"""Benchmarks of RNN Studio: scripts that print ratios, and the real-server harness the browser tests share."""
