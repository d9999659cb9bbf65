"""What one simulated student does: every page, the way a student clicks through it.

Each step is one interaction (a script run the student waits for). Steps are grouped as
"ui" (page loads, widget changes, uploads, text and melody generation: the p95 target applies)
and "training" (a job that goes through the server's training pool).
"""

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.load.st_client import ClientError, Run, StreamlitClient

ROOT = Path(__file__).resolve().parents[2]
CSV_FILE = ROOT / "assets" / "examples" / "forecast_co2_monthly.csv"
LESSONS = ROOT / "assets" / "lessons"


@dataclass
class Record:
    student: int
    wave: int
    page: str
    label: str
    kind: str  # "ui" | "training"
    seconds: float
    ok: bool
    error: str = ""
    exceptions: list[str] = field(default_factory=list)
    errors_shown: list[str] = field(default_factory=list)  # st.error bodies that appeared
    at: float = field(default_factory=time.monotonic)  # when the interaction ended


@dataclass
class Settings:
    think_s: tuple[float, float] = (0.3, 1.5)  # pause between interactions, like a reading student
    train_wait_s: float = 90.0  # how long a student waits for a forecast before pressing Stop
    train_run_s: float = 3.0  # how long the text training runs before the student presses Stop
    csv: bytes = b""
    train_text: str = ""


def default_settings() -> Settings:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(LESSONS.glob("*.md")))
    while len(text) < 4000:
        text += "\n" + text
    return Settings(csv=CSV_FILE.read_bytes(), train_text=text[:6000])


class Student:
    """One tab: records every interaction; a missing widget is an error of the step, not a crash."""

    def __init__(self, client: StreamlitClient, student: int, wave: int, settings: Settings,
                 out: list[Record], rng: random.Random):
        self.c, self.student, self.wave, self.s, self.out, self.rng = client, student, wave, settings, out, rng
        self.page = "home"

    def _rec(self, run: Run, kind: str = "ui") -> Run:
        errs = [body for k, body in run.alerts if k == "error"]
        self.out.append(Record(self.student, self.wave, self.page, run.label, kind, run.seconds, run.ok,
                               run.error, list(run.exceptions), errs))
        return run

    def _fail(self, label: str, exc: Exception, kind: str = "ui") -> None:
        self.out.append(Record(self.student, self.wave, self.page, label, kind, 0.0, False,
                               f"{type(exc).__name__}: {exc}"))

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(*self.s.think_s))

    async def step(self, label: str, coro_fn, kind: str = "ui", think: bool = True) -> Run | None:
        try:
            run = await coro_fn()
        except (ClientError, TimeoutError, OSError) as e:
            self._fail(label, e, kind)
            return None
        run.label = label
        self._rec(run, kind)
        if think:
            await self.think()
        return run

    async def open(self, page: str) -> bool:
        self.page = page or "home"
        run = await self.step(f"open {self.page}", lambda: self.c.open(page))
        return bool(run and run.ok)

    async def wait_for(self, predicate, timeout_s: float) -> bool:
        t_end = time.monotonic() + timeout_s
        while time.monotonic() < t_end:
            if predicate():
                return True
            await asyncio.sleep(0.25)
        return predicate()

    # --- the walk -----------------------------------------------------------------------------
    async def walk(self) -> None:
        await self.open("")
        await self.text_page()
        await self.forecast_page()
        await self.music_page()
        await self.explorer_page()
        await self.train_and_stop()

    async def text_page(self) -> None:
        if not await self.open("text_generation"):
            return
        c = self.c
        await self.step("text: length", lambda: c.change("text_length", [float(self.rng.choice([80, 120, 200]))]))
        await self.step("text: seed", lambda: c.change("text_seed", self.rng.randrange(1000)))
        await self.step("text: generate", lambda: c.click("text_generate"))

    async def forecast_page(self) -> None:
        if not await self.open("stock_forecasting"):
            return
        c = self.c
        await self.step("forecast: choose upload", lambda: c.change("fc_source", "Upload a CSV"))
        await self.step("forecast: upload CSV",
                        lambda: c.upload("fc_upload", [("co2_monthly.csv", self.s.csv, "text/csv")]))
        await self.step("forecast: steps", lambda: c.change("fc_steps", 10))
        await self.step("forecast: hidden", lambda: c.change("fc_hidden", "8"))
        await self.step("forecast: no ARIMA", lambda: c.change("fc_arima", False))
        t0 = time.perf_counter()
        run = await self.step("forecast: train", lambda: c.click("fc_train"), kind="training")
        if not run or not run.ok:
            return
        done = await self.wait_for(lambda: c.count("metric") >= 4 and not c.keys("stop-"), self.s.train_wait_s)
        if done:
            self.out.append(Record(self.student, self.wave, self.page, "forecast: result", "training",
                                   time.perf_counter() - t0, True))
        else:
            await self.stop_job("forecast: stop (result too slow)")

    async def music_page(self) -> None:
        if not await self.open("music_continuation"):
            return
        c = self.c
        await self.step("music: bars", lambda: c.change("music_bars", [float(self.rng.choice([2, 4]))]))
        await self.step("music: variations", lambda: c.change("music_var", [1.0]))
        await self.step("music: continue", lambda: c.click("music_go"))

    async def explorer_page(self) -> None:
        if not await self.open("rnn_explorer"):
            return
        c = self.c
        if c.has_widget("ex_g_len"):
            await self.step("explorer: sequence length", lambda: c.change("ex_g_len", [40.0]))

    async def stop_job(self, label: str, think: bool = True) -> bool:
        """Press the job's Stop button (its key is stop-<job id>); False if none showed up."""
        if not await self.wait_for(lambda: bool(self.c.keys("stop-")), 10.0):
            self.out.append(Record(self.student, self.wave, self.page, label, "training", 0.0, False,
                                   "no Stop button on the page"))
            return False
        key = self.c.keys("stop-")[0]
        run = await self.step(label, lambda: self.c.click(key), kind="training", think=think)
        return bool(run and run.ok)

    async def train_and_stop(self) -> None:
        """Text page: paste text, start a short training, press Stop, wait for the slot to free."""
        if not await self.open("text_generation"):
            return
        c = self.c
        await self.step("train: paste source", lambda: c.change("text_train_source", "Paste text"))
        await self.step("train: paste text", lambda: c.change("text_train_paste", self.s.train_text))
        await self.step("train: hidden", lambda: c.change("text_tr_hidden", "16"))
        run = await self.step("train: start", lambda: c.click("text_train_go"), kind="training")
        if not run or not run.ok:
            return
        await asyncio.sleep(self.s.train_run_s)
        t0 = time.perf_counter()  # from the click on Stop to the Stop button gone (no pause between)
        if not await self.stop_job("train: stop", think=False):
            return
        freed = await self.wait_for(lambda: not c.keys("stop-"), 30.0)
        self.out.append(Record(self.student, self.wave, self.page, "train: stopped and freed", "training",
                               time.perf_counter() - t0, freed, "" if freed else "Stop did not end the job in 30 s"))
        await self.think()
