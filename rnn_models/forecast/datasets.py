"""Built-in series read from files that ship inside installed packages (nothing is downloaded)."""

from __future__ import annotations

import gzip
import importlib.util
import io
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

from rnn_models.errors import UserInputError

if TYPE_CHECKING:  # pandas (~0.4 CPU-s) loads with the data, not with every CLI start (BUILTINS is read there)
    import pandas as pd

    from rnn_models.forecast.series import Frequency, Table

BUILTINS = {
    "msft": "MSFT daily prices 1986-2017 (pmdarima)",
    "tech_stocks": "Weekly tech stocks 2018-2019, normalised to 1.0 (plotly)",
    "co2": "Mauna Loa CO2, monthly 1958-2001 (statsmodels)",
}
DEFAULT_TARGET = {"msft": "Close", "tech_stocks": "AAPL", "co2": "co2"}


def package_dir(package: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise UserInputError(f"The package '{package}' is not installed, so its built-in data set is unavailable.")
    return Path(list(spec.submodule_search_locations)[0])


def load_builtin(name: str) -> Table:
    """One of BUILTINS as a Table of numeric columns on a DatetimeIndex."""
    loaders = {"msft": _msft, "tech_stocks": _tech_stocks, "co2": _co2}
    if name not in loaders:
        raise UserInputError(f"Unknown built-in series '{name}'; valid: {', '.join(BUILTINS)}.")
    from rnn_models.forecast.series import Table, infer_frequency

    frame, notes, freq = loaders[name]()
    return Table(frame=frame, date_column=frame.index.name, freq=freq or infer_frequency(frame.index),
                 notes=tuple(notes), name=name)


def _msft() -> tuple[pd.DataFrame, list[str], Frequency | None]:
    import pandas as pd

    path = package_dir("pmdarima") / "datasets" / "data" / "msft.tar.gz"
    with tarfile.open(path, "r:gz") as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(".csv"))
        raw = pd.read_csv(io.BytesIO(tar.extractfile(member).read()), parse_dates=["Date"])
    frame = raw.set_index("Date")[["Open", "High", "Low", "Close", "Volume"]].astype(float).sort_index()
    notes = [f"MSFT daily open/high/low/close/volume, {len(frame):,} trading days, prices split-adjusted."]
    from rnn_models.forecast.series import Frequency

    return frame, notes, Frequency("business daily", 5, "B")


def _tech_stocks() -> tuple[pd.DataFrame, list[str], Frequency | None]:
    import pandas as pd

    path = package_dir("plotly") / "package_data" / "datasets" / "stocks.csv.gz"
    with gzip.open(path, "rb") as fh:
        raw = pd.read_csv(fh, parse_dates=["date"])
    frame = raw.set_index("date").astype(float).sort_index()
    notes = [f"Weekly closing prices of {frame.shape[1]} tech stocks, each divided by its first value."]
    return frame, notes, None


def _co2() -> tuple[pd.DataFrame, list[str], Frequency | None]:
    import pandas as pd

    path = package_dir("statsmodels") / "datasets" / "co2" / "co2.csv"
    raw = pd.read_csv(path, dtype={"date": str})
    weekly = pd.Series(raw["co2"].astype(float).to_numpy(), index=pd.to_datetime(raw["date"], format="%Y%m%d"))
    monthly = weekly.resample("MS").mean().interpolate("linear")
    frame = monthly.to_frame("co2")
    frame.index.name = "date"
    notes = [f"Weekly CO2 readings averaged to {len(frame)} monthly values; "
             f"{int(weekly.isna().sum())} missing weeks bridged by the monthly mean and interpolation."]
    from rnn_models.forecast.series import Frequency

    return frame, notes, Frequency("monthly", 12, "MS")
