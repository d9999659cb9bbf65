"""Point-forecast error metrics; every function takes arrays of the same shape."""

import numpy as np

METRICS = ("mae", "rmse", "smape", "mase", "directional_accuracy")


def mae(actual: np.ndarray, pred: np.ndarray) -> float:
    """Mean absolute error."""
    return float(np.mean(np.abs(np.asarray(actual) - np.asarray(pred))))


def rmse(actual: np.ndarray, pred: np.ndarray) -> float:
    """Root mean squared error."""
    return float(np.sqrt(np.mean((np.asarray(actual) - np.asarray(pred)) ** 2)))


def smape(actual: np.ndarray, pred: np.ndarray) -> float:
    """Symmetric mean absolute percentage error in percent (0-200); 0/0 terms count as 0."""
    a, p = np.asarray(actual, float), np.asarray(pred, float)
    denom = (np.abs(a) + np.abs(p)) / 2
    ratio = np.divide(np.abs(a - p), denom, out=np.zeros_like(denom), where=denom > 0)
    return float(100 * np.mean(ratio))


def naive_scale(train: np.ndarray, m: int = 1) -> float:
    """In-sample MAE of the lag-m naive forecast on the training values (the MASE denominator)."""
    train = np.asarray(train, float)
    if len(train) <= m:
        raise ValueError(f"need more than {m} training values to scale MASE")
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    return scale if scale > 0 else float("nan")


def mase(actual: np.ndarray, pred: np.ndarray, scale: float) -> float:
    """Mean absolute scaled error: MAE divided by the in-sample naive MAE `scale`."""
    return mae(actual, pred) / scale


def directional_accuracy(actual: np.ndarray, pred: np.ndarray, last: np.ndarray) -> float:
    """Share of forecasts whose move from the last observed value has the actual move's sign (0-1).

    Points where the actual did not move are skipped; NaN when none are left.
    """
    a, p, base = (np.asarray(v, float) for v in (actual, pred, last))
    real = np.sign(a - base)
    keep = real != 0
    if not keep.any():
        return float("nan")
    return float(np.mean(np.sign(p - base)[keep] == real[keep]))


def all_metrics(actual, pred, last, scale: float) -> dict[str, float]:
    """Every metric in METRICS for one model's backtest forecasts."""
    return {
        "mae": mae(actual, pred),
        "rmse": rmse(actual, pred),
        "smape": smape(actual, pred),
        "mase": mase(actual, pred, scale),
        "directional_accuracy": directional_accuracy(actual, pred, last),
    }


def paired_t(abs_err_a: np.ndarray, abs_err_b: np.ndarray) -> float:
    """t statistic of mean(|err_a| - |err_b|): below -2 says a is reliably better, above 2 reliably worse."""
    d = np.asarray(abs_err_a, float) - np.asarray(abs_err_b, float)
    sd = float(np.std(d, ddof=1)) if len(d) > 1 else 0.0
    return float(np.mean(d) / (sd / np.sqrt(len(d)))) if sd > 0 else 0.0
