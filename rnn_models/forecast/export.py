"""CSV export that spreadsheets cannot execute: text cells starting with = + - @ are made inert."""

import numpy as np
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell):
    """Prefix a text cell with an apostrophe when a spreadsheet would read it as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def safe_csv(frame: pd.DataFrame, index: bool = False) -> bytes:
    """UTF-8 CSV bytes of `frame` with every text cell and header neutralised; numbers stay numbers."""
    out = frame.copy()
    if index:
        out = out.reset_index()
    out.columns = [inert(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(inert)
    return out.to_csv(index=False, float_format="%.6g", na_rep="").encode("utf-8")


def forecast_json(run) -> dict:
    """The CLI's JSON: forecast rows, per-model backtest metrics and the intervals' empirical coverage."""
    def num(v):
        v = float(v)
        return None if not np.isfinite(v) else round(v, 6)

    rows = [{"date": str(r.date.date()) if hasattr(r.date, "date") else str(r.date), "value": num(r.value),
             "lower": num(r.lower), "upper": num(r.upper)} for r in run.forecast.itertuples()]
    backtest = {name: {k: num(v) for k, v in m.items()} for name, m in run.backtest.metrics.items()}
    return {"forecast": rows, "backtest": backtest, "coverage": num(run.coverage),
            "level": run.backtest_config.level, "labels": run.backtest.labels,
            "config": run.config.to_dict(), "train_rows": int(run.backtest.train_end),
            "backtest_origins": int(len(run.backtest.origins)), "seconds": round(run.seconds, 2),
            "interval_floor": 0.0 if run.floor_at_zero else None}
