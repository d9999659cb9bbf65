"""Real series saved the way spreadsheets, banks and statistics offices save them, for the hostile corpus.

Each file must forecast from the page and the CLI (manifest "expect": "forecast"). The values come from
the packages' own data files at corpus-writing time (rnn_models.forecast.real_series); nothing is committed.
"""

import numpy as np
import pandas as pd

CLI = ["forecast", "--csv", "{file}", "--horizon", "5", "--steps", "10", "--hidden", "8", "--lookback", "12",
       "--no-arima"]


def _frame(name: str) -> pd.DataFrame:
    from rnn_models.forecast.real_series import SERIES

    s = SERIES[name].series()
    return pd.DataFrame({"date": s.index, "value": s.values})


def _comma(v: float, places: int = 2) -> str:
    """1234.5 -> '1.234,50' (German style)."""
    return f"{v:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def exports() -> dict[str, tuple[bytes, str]]:
    """name -> (file bytes, what it is)."""
    cons, co2, sun = _frame("macro_realcons"), _frame("co2"), _frame("sunspots")
    wine, aapl, cpi = _frame("wineind"), _frame("tech_aapl"), _frame("macro_cpi")
    msft = _frame("msft").iloc[-400:]
    out = {}
    lines = ["Datum;Konsum in Mrd. €;Quelle"] + [f"{d:%d.%m.%Y};{_comma(v)};BEA" for d, v in cons.values]
    out["export_de_windows1252"] = ("\r\n".join(lines) + "\r\n").encode("cp1252"), \
        "Windows-1252, ';' separated, decimal commas, thousands dots, '€' in a header, day.month.year"
    lines = ["Date\tCO2 (ppm)"] + [f"{d.month}/{d.day}/{d.year}\t{v:.2f}" for d, v in co2.values]
    out["export_excel_utf16_tabs"] = ("\r\n".join(lines) + "\r\n").encode("utf-16"), \
        "Excel 'Unicode text': UTF-16 with BOM, tab separated, month/day/year"
    lines = ["Year,Sunspots"] + [f"{d.year},{v:g}" for d, v in sun.values]
    out["export_sunspots_zeros"] = ("\n".join(lines) + "\n").encode(), \
        "yearly sunspot numbers with zeros (log returns impossible), plain years"
    lines = ["timestamp,close"] + [f"{int(d.timestamp())},{v:.2f}" for d, v in msft.values]
    out["export_unix_seconds"] = ("\n".join(lines) + "\n").encode(), "a time column of Unix seconds"
    lines = ["time_ms,close"] + [f"{int(d.timestamp()) * 1000},{v:.2f}" for d, v in msft.values]
    out["export_unix_millis"] = ("\n".join(lines) + "\n").encode(), "a time column of Unix milliseconds"
    lines = ["date,co2"] + [f"{d:%Y-%m-%d},{v:.2f}" for d, v in co2.values]
    out["export_utf8_bom"] = ("\n".join(lines) + "\n").encode("utf-8-sig"), "UTF-8 with a BOM"
    out["export_utf32_bom"] = ("\n".join(lines) + "\n").encode("utf-32"), "UTF-32 with a BOM"
    lines = ["Month|Sales (litres)"] + [f'{d:%Y-%m}|"{v:,.0f}"' for d, v in wine.values]
    out["export_pipes_quoted_thousands"] = ("\n".join(lines) + "\n").encode(), \
        "'|' separated, quoted numbers with thousands commas, months as 1980-01"
    markers = [".", "NA", "n/a", "-", "#N/A", ""]
    lines = ["Consumer price index, quarterly", "Source: statsmodels macrodata", "", "Quarter,CPI"]
    lines += [f"{d.year}Q{d.quarter},{markers[i // 15] if i % 15 == 7 and i < 90 else f'{v:.2f}'}"
              for i, (d, v) in enumerate(cpi.values)]
    out["export_stats_office_preamble"] = ("\n".join(lines) + "\n").encode(), \
        "title lines above the header, quarters as 1959Q1, missing values as . NA n/a - #N/A and empty"
    lines = ["Week,AAPL"] + [f"{d.isocalendar().year}-W{d.isocalendar().week:02d},{v:.4f}" for d, v in aapl.values]
    out["export_iso_weeks"] = ("\n".join(lines) + "\n").encode(), "ISO weeks (2018-W01)"
    rows = [f"{d:%d/%m/%Y},{v:.2f}" for d, v in msft.values]
    rows = rows[:100] + rows[110:]  # ten trading days missing
    rows.insert(200, rows[200])  # one day twice
    lines = ["Date,Close"] + rows[::-1]
    out["export_newest_first_dmy"] = ("\n".join(lines) + "\n").encode(), \
        "newest first, day/month/year, a duplicated and ten missing days"
    lines = ["Date,Close"] + [f"{d:%m/%d/%Y},{v:.2f}" for d, v in msft.values]
    out["export_us_month_first"] = ("\n".join(lines) + "\n").encode("latin-1"), "month/day/year in Latin-1"
    out.update(quarterly_exports())
    return out


def quarterly_exports() -> dict[str, tuple[bytes, str]]:
    """statsmodels' quarterly macrodata as shipped (year and quarter columns) and saved in three awkward ways."""
    from statsmodels.datasets import macrodata

    m = macrodata.load_pandas().data
    ends = pd.PeriodIndex.from_fields(year=m["year"].astype(int), quarter=m["quarter"].astype(int), freq="Q").end_time
    out = {}
    cols = ["year", "quarter", "realgdp", "infl"]
    lines = [",".join(cols)] + [f"{int(y)},{int(q)},{g:.3f},{i:.2f}" for y, q, g, i in m[cols].values]
    out["export_year_and_quarter_columns"] = ("\n".join(lines) + "\n").encode(), \
        "year and quarter in two columns (statsmodels' macrodata.csv layout)"
    lines = ["Date,Inflation"] + [f"{d.month}/{d.day}/{d:%y},{f'({-v:.2f})' if v < 0 else f'{v:.2f}'}"
                                  for d, v in zip(ends, m["infl"], strict=True)]
    out["export_two_digit_years_accounting"] = ("\n".join(lines) + "\n").encode(), \
        "month/day/two-digit-year dates across 1959-2009, negatives in accounting brackets (0.54)"
    lines = ["Realer Konsum (Quartale);;", "Quelle: statsmodels macrodata;;", "Quartal;Konsum;Inflation"]
    lines += [f"{d.year}Q{d.quarter};{_comma(c)};{_comma(i).replace('-', chr(0x2212))}"
              for d, c, i in zip(ends, m["realcons"], m["infl"], strict=True)]
    out["export_padded_title_lines"] = ("\r\n".join(lines) + "\r\n").encode("utf-8"), \
        "title lines padded with ';;' as Excel saves them, decimal commas, Unicode minus signs"
    return out


def export_cases(c) -> None:
    """Add every export to the corpus: forecast expected on the page and from the CLI."""
    for name, (data, what) in exports().items():
        c.add(name, {f"{name}.csv": data}, what, "forecast_export", CLI)
        c.cases[-1]["expect"] = "forecast"


if __name__ == "__main__":
    from rnn_models.forecast.csv_reader import read_csv_bytes
    from rnn_models.forecast.series import decision_line, pick_target, select_series

    for name, (data, _) in exports().items():
        t = read_csv_bytes(data)
        s = select_series(t, pick_target(list(t.frame.columns), None))
        print(f"{name}: {len(s)} rows, {decision_line(t, s)}; nan={np.isnan(s.values).sum()}")
