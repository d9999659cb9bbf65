"""Write the example CSV uploads in assets/examples/ from the built-in series.

Run: python -m rnn_models.forecast.examples
"""

import sys
from pathlib import Path

from rnn_models.forecast.datasets import load_builtin

OUT = Path(__file__).resolve().parents[2] / "assets" / "examples"


def european_msft(rows: int = 800) -> str:
    """MSFT's last rows as a spreadsheet in Germany would save them: ';', decimal commas, day-first dates,
    with a few gaps, one duplicated day and two rows out of order (the reader must cope with all of it)."""
    frame = load_builtin("msft").frame.iloc[-rows:]
    lines = ["Datum;Eröffnung;Schluss;Volumen"]
    def comma(v: float) -> str:
        return f"{v:.2f}".replace(".", ",")

    for i, (day, row) in enumerate(frame.iterrows()):
        close = "" if i in (100, 101, 400) else comma(row.Close)
        volume = f"{int(row.Volume):,}".replace(",", ".")  # thousands separated by dots
        lines.append(f"{day:%d.%m.%Y};{comma(row.Open)};{close};{volume}")
    lines.insert(300, lines[300])  # a duplicated day
    lines[500], lines[501] = lines[501], lines[500]  # two rows out of order
    return "\n".join(lines) + "\n"


def co2_monthly() -> str:
    frame = load_builtin("co2").frame
    return "month,co2_ppm\n" + "".join(f"{d:%Y-%m},{v:.2f}\n" for d, v in zip(frame.index, frame["co2"]))


def bad_examples() -> dict[str, str]:
    days = [f"2024-01-{d:02d}" for d in range(1, 31)]
    return {
        "forecast_bad_header_only.csv": "date,close\n",
        "forecast_bad_constant.csv": "date,close\n" + "".join(f"{d},42\n" for d in days),
        "forecast_bad_no_numbers.csv": "date,ticker\n" + "".join(f"{d},MSFT\n" for d in days),
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    files = {"forecast_msft_european.csv": european_msft(), "forecast_co2_monthly.csv": co2_monthly(),
             **bad_examples()}
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
