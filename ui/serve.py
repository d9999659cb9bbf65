"""Start RNN Studio: `python -m ui.serve [streamlit options]` is `streamlit run app.py [options]`, with torch
imported and a model built in the background while the server boots (ui/server.py start_early), so that
no student's first visit of a model page waits for torch's one-off costs."""

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(argv: list[str] | None = None) -> None:
    from ui import server

    server.start_early()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
