"""Start RNN Studio: `python -m ui.serve [streamlit options]` is `streamlit run app.py [options]`, with torch
imported and a model built in the background while the server boots (ui/server.py start_early), so that
no student's first visit of a model page waits for torch's one-off costs."""

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def fewer_malloc_arenas(arenas: int = 2) -> bool:
    """glibc gives threads that allocate at once arenas of their own (up to 8 per core), and every script
    run is a new thread, so a server's freed memory scatters over many arenas and stays resident. One
    interpreter (the GIL serialises most allocation) needs few. False where the C library is not glibc."""
    import ctypes

    try:
        return bool(ctypes.CDLL("libc.so.6").mallopt(-8, arenas))  # -8: M_ARENA_MAX
    except (OSError, AttributeError):
        return False


def main(argv: list[str] | None = None) -> None:
    from ui import server

    fewer_malloc_arenas()
    server.start_early()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
