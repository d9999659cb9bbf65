"""The real-server helper lives in the package so the bench command can use it too."""

from rnn_models.bench.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, free_port

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "StreamlitServer", "free_port"]
