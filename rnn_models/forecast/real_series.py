"""Real series shipped inside installed packages (statsmodels, pmdarima, plotly), for the benchmark.

Each entry reads a package's own data file; nothing is downloaded and nothing is copied into the repository.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rnn_models.forecast.datasets import load_builtin
from rnn_models.forecast.series import Frequency, Series, Table, infer_frequency, select_series


@dataclass(frozen=True)
class RealSeries:
    name: str  # short key, e.g. "macro_realcons"
    description: str  # what it is and where it comes from
    load: Callable[[], Table]  # reads the package's data file
    column: str  # the column to forecast
    horizons: tuple[int, ...] = (1, 4, 12)  # steps ahead measured in the benchmark
    lookback: int = 24  # the RNN's window for this frequency

    def series(self) -> Series:
        return select_series(self.load(), self.column)


def _table(values, index, name: str, column: str, freq: Frequency | None = None) -> Table:
    frame = pd.DataFrame({column: np.asarray(values, float)}, index=index)
    return Table(frame, None, freq or infer_frequency(frame.index), (), name)


def _statsmodels(dataset: str):
    import importlib

    return importlib.import_module(f"statsmodels.datasets.{dataset}").load_pandas().data


def _macro(column: str) -> Callable[[], Table]:
    def load():
        data = _statsmodels("macrodata")
        index = pd.period_range("1959Q1", periods=len(data), freq="Q").to_timestamp()
        return _table(data[column], index, f"macrodata {column}", column)
    return load


def _yearly(dataset: str, year: str, column: str) -> Callable[[], Table]:
    def load():
        data = _statsmodels(dataset)
        index = pd.to_datetime(data[year].astype(int).astype(str), format="%Y")
        return _table(data[column], index, dataset, column)
    return load


def _elnino() -> Table:
    data = _statsmodels("elnino").set_index("YEAR")
    index = pd.date_range(f"{int(data.index[0])}-01-01", periods=data.size, freq="MS")
    return _table(data.to_numpy().ravel(), index, "elnino", "temperature")


def _pmdarima(loader: str, start: str | None, freq: str | None, season: int = 1) -> Callable[[], Table]:
    def load():
        import pmdarima.datasets

        values = np.asarray(getattr(pmdarima.datasets, f"load_{loader}")(), float)
        if start is None:
            return _table(values, pd.RangeIndex(len(values)), loader, loader,
                          Frequency("steps (no dates)", season, None))
        index = pd.date_range(start, periods=len(values), freq=freq)
        return _table(values, index, loader, loader)
    return load


def _builtin(name: str, rows: int | None = None) -> Callable[[], Table]:
    def load():
        table = load_builtin(name)
        return table if rows is None else Table(table.frame.iloc[-rows:], table.date_column, table.freq,
                                                table.notes, table.name)
    return load


SERIES = {s.name: s for s in (
    RealSeries("macro_realcons", "US real consumption, quarterly 1959-2009 (statsmodels macrodata)",
               _macro("realcons"), "realcons", (1, 4, 8), 12),
    RealSeries("macro_realgdp", "US real GDP, quarterly (statsmodels macrodata)", _macro("realgdp"), "realgdp",
               (1, 4, 8), 12),
    RealSeries("macro_cpi", "US consumer prices, quarterly (statsmodels macrodata)", _macro("cpi"), "cpi",
               (1, 4, 8), 12),
    RealSeries("macro_unemp", "US unemployment rate, quarterly (statsmodels macrodata)", _macro("unemp"), "unemp",
               (1, 4, 8), 12),
    RealSeries("macro_tbilrate", "US 3-month T-bill rate, quarterly (statsmodels macrodata)", _macro("tbilrate"),
               "tbilrate", (1, 4, 8), 12),
    RealSeries("co2", "Mauna Loa CO2, monthly (statsmodels)", _builtin("co2"), "co2", (1, 4, 12), 36),
    RealSeries("sunspots", "yearly sunspot numbers 1700-2008 (statsmodels)",
               _yearly("sunspots", "YEAR", "SUNACTIVITY"), "SUNACTIVITY", (1, 4, 12), 24),
    RealSeries("nile", "yearly Nile flow at Aswan 1871-1970 (statsmodels)", _yearly("nile", "year", "volume"),
               "volume", (1, 4), 10),
    RealSeries("elnino", "monthly Pacific sea-surface temperature 1950-2010 (statsmodels elnino)", _elnino,
               "temperature", (1, 4, 12), 24),
    RealSeries("airpassengers", "monthly airline passengers 1949-1960 (pmdarima)",
               _pmdarima("airpassengers", "1949-01-01", "MS"), "airpassengers", (1, 4, 12), 24),
    RealSeries("wineind", "monthly Australian wine sales 1980-1994 (pmdarima)",
               _pmdarima("wineind", "1980-01-01", "MS"), "wineind", (1, 4, 12), 24),
    RealSeries("ausbeer", "quarterly Australian beer production 1956-2008 (pmdarima)",
               _pmdarima("ausbeer", "1956-01-01", "QS"), "ausbeer", (1, 4, 8), 12),
    RealSeries("woolyrnq", "quarterly Australian woollen yarn production (pmdarima)",
               _pmdarima("woolyrnq", "1965-01-01", "QS"), "woolyrnq", (1, 4, 8), 12),
    RealSeries("lynx", "yearly Canadian lynx trappings 1821-1934 (pmdarima)", _pmdarima("lynx", "1821-01-01", "YS"),
               "lynx", (1, 4), 12),
    RealSeries("heartrate", "heart rate, 150 readings half a second apart (pmdarima)",
               _pmdarima("heartrate", None, None), "heartrate", (1, 4), 12),
    RealSeries("msft", "MSFT daily close, last 1,500 trading days to 2017 (pmdarima)", _builtin("msft", 1500),
               "Close", (1, 5, 20), 30),
    RealSeries("tech_aapl", "AAPL weekly 2018-2019, normalised (plotly)", _builtin("tech_stocks"), "AAPL",
               (1, 4), 12),
)}
QUICK = ("macro_realcons", "co2", "sunspots", "airpassengers")  # the --quick subset
