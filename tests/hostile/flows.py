"""Page flows for hostile uploads: build some state first, then feed the bad file to its uploader.

A flow is a class with `setup()` (open the page, make state worth keeping, remember it) and
`feed(files)` (upload, press the button that uses the upload, run). `kept()` says whether the
earlier state survived. One AppTest per flow serves every case of that flow, as one student's
session would; a flow whose session broke is rebuilt before the next case.
"""

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "app_pages"
GOOD_CSV = ROOT / "assets" / "examples" / "forecast_co2_monthly.csv"
SENTINEL = "hostile_sentinel"  # a session_state key the page never touches: it must survive
MIME = {".csv": "text/csv", ".txt": "text/plain", ".mid": "audio/midi", ".wav": "audio/wav", ".mp3": "audio/mpeg",
        ".ogg": "audio/ogg", ".flac": "audio/flac", ".json": "application/json",
        ".safetensors": "application/octet-stream"}


def upload_tuple(path: Path) -> tuple[str, bytes, str]:
    return path.name, path.read_bytes(), MIME.get(path.suffix, "application/octet-stream")


class Flow:
    page = ""
    uploader = ""
    multiple = False
    button: str | None = None  # pressed after the upload when present and enabled

    def __init__(self):
        self.at = AppTest.from_file(str(PAGES / self.page), default_timeout=60)
        self.at.session_state[SENTINEL] = 12345
        self.at.run()
        self.setup()
        self.before = self.snapshot()

    def setup(self) -> None:
        pass

    def snapshot(self) -> dict:
        return {}

    def kept(self) -> bool:
        return self.at.session_state[SENTINEL] == 12345 and self.snapshot() == self.before

    def feed(self, paths: list[Path]) -> float:
        """Upload, run, press the button if any; returns the seconds the page took."""
        files = [upload_tuple(p) for p in paths]
        t0 = time.perf_counter()
        self.at.file_uploader(key=self.uploader).set_value(files if self.multiple else files[0]).run()
        if self.button and not self.at.error and not self.at.exception:
            b = [x for x in self.at.button if x.key == self.button]
            if b and not b[0].disabled:
                b[0].click().run()
        return time.perf_counter() - t0

    def clear(self) -> None:
        self.at.file_uploader(key=self.uploader).set_value(None).run()


class ForecastCsv(Flow):
    page, uploader = "stock_forecasting.py", "fc_upload"

    def setup(self):
        at = self.at
        at.segmented_control(key="fc_source").set_value("co2").run()
        at.number_input(key="fc_steps").set_value(10)
        at.select_slider(key="fc_hidden").set_value(8)
        at.checkbox(key="fc_arima").set_value(False)
        at.button(key="fc_train").click().run()
        end = time.time() + 120
        while at.session_state["fc_run"] is None and time.time() < end:
            time.sleep(0.5)
            at.run()
        assert at.session_state["fc_run"] is not None, "no forecast to keep: " + str([e.value for e in at.error])
        at.segmented_control(key="fc_source").set_value("upload").run()

    def snapshot(self):
        return {"run": id(self.at.session_state["fc_run"]), "job": self.at.session_state["fc_job_id"]}


class ForecastExport(ForecastCsv):
    """A real export that must forecast: it reads without an error, then a short training gives results."""

    def setup(self):
        self.at.segmented_control(key="fc_source").set_value("upload").run()

    def snapshot(self):
        return {}

    def train(self, timeout: float = 300.0) -> bool:
        at = self.at
        before = at.session_state["fc_job_id"]
        at.number_input(key="fc_steps").set_value(10)
        at.number_input(key="fc_lookback").set_value(12)
        at.select_slider(key="fc_hidden").set_value(8)
        at.checkbox(key="fc_arima").set_value(False)
        at.button(key="fc_train").click().run()
        end = time.time() + timeout
        while at.session_state["fc_job_id"] == before and time.time() < end and not at.error:
            time.sleep(0.5)
            at.run()
        return at.session_state["fc_job_id"] != before


class MusicBase(Flow):
    page = "music_continuation.py"

    def setup(self):
        self.at.slider(key="music_bars").set_value(1)
        self.at.slider(key="music_var").set_value(1)
        self.at.button(key="music_go").click().run()
        assert self.at.session_state["music_result"] is not None, "no continuation to keep"
        self.choose_source()

    def choose_source(self):
        pass

    def snapshot(self):
        res = self.at.session_state["music_result"]
        return {"result": id(res), "user_model": self.at.session_state["music_user_model"] is None}


class MusicMidi(MusicBase):
    uploader = "music_midi"

    def choose_source(self):
        self.at.segmented_control(key="music_source").set_value("midi").run()


class MusicAudio(MusicBase):
    uploader = "music_audio_file"

    def choose_source(self):
        self.at.segmented_control(key="music_source").set_value("audio").run()
        self.at.radio(key="music_audio_kind").set_value("upload").run()


class MusicTrain(MusicBase):
    uploader, multiple, button = "music_train_files", True, "music_train_go"


class TextBase(Flow):
    page = "text_generation.py"

    def setup(self):
        self.at.slider(key="text_length").set_value(20)
        self.at.button(key="text_generate").click().run()
        assert self.at.session_state["text_samples"], "no generated sample to keep"

    def snapshot(self):
        job = self.at.session_state["job"] if "job" in self.at.session_state else None
        return {"samples": repr(self.at.session_state["text_samples"]),
                "user_model": self.at.session_state["text_user_model"] is None, "job": job is None}


class TextTrain(TextBase):
    uploader, button = "text_train_file", "text_train_go"


class TextPrime(TextBase):
    uploader = "text_prime_file"


class TextCheckpoint(TextBase):
    uploader, multiple, button = "text_ckpt_upload", True, "text_ckpt_go"


class ForecastExperiment(ForecastCsv):
    uploader = "fc_import"


class ExplorerExperiment(Flow):
    page, uploader = "rnn_explorer.py", "ex_import"

    def snapshot(self):
        state = self.at.session_state
        # the controls an import would overwrite (widget keys of the page's shareable set-up)
        keys = sorted(k for k in state if k.startswith("ex_") and not k.startswith("ex_import"))
        return {k: repr(state[k]) for k in keys if "job" not in k and "shown" not in k}


class ClassifyBase(Flow):
    page = "sequence_classification.py"

    def snapshot(self):
        state = self.at.session_state
        return {k: repr(state[k]) for k in ("cl_result", "cl_own_clips", "cl_task") if k in state}


class ClassifyClip(ClassifyBase):
    uploader = "cl_clip_up_voices"

    def setup(self):
        self.at.radio(key="cl_task").set_value("voices").run()
        self.at.radio(key="cl_clip_source_voices").set_value("Upload a clip").run()


class ClassifyCsv(ClassifyBase):
    uploader, button = "cl_csv", "cl_train"

    def setup(self):
        self.at.radio(key="cl_task").set_value("own").run()


class TranslatePairs(Flow):
    page, uploader, button = "translation.py", "tr_pairs_file", "tr_train_go"

    def snapshot(self):
        state = self.at.session_state
        return {"result": repr(state["tr_result"]), "user": state["tr_user"] is None,
                "job": ("job" in state and state["job"]) is None}


class TranslateText(TranslatePairs):
    """A sentence typed (pasted) into the text box, then Translate: the file's content is the text."""

    def setup(self):
        self.at.button(key="tr_go").click().run()  # a first translation: state worth keeping

    def feed(self, paths: list[Path]) -> float:
        t0 = time.perf_counter()
        self.at.text_area(key="tr_text").set_value(paths[0].read_text(encoding="utf-8")).run()
        if not self.at.button(key="tr_go").disabled:  # text the page refuses as typed disables Translate
            self.at.button(key="tr_go").click().run()
        return time.perf_counter() - t0

    def clear(self) -> None:
        self.at.text_area(key="tr_text").set_value("Ich bin müde.").run()


FLOWS = {"forecast_csv": ForecastCsv, "forecast_export": ForecastExport, "music_midi": MusicMidi,
         "music_audio": MusicAudio,
         "music_train": MusicTrain, "text_train": TextTrain, "text_prime": TextPrime,
         "text_checkpoint": TextCheckpoint, "forecast_experiment": ForecastExperiment,
         "explorer_experiment": ExplorerExperiment, "classify_clip": ClassifyClip, "classify_csv": ClassifyCsv,
         "translate_pairs": TranslatePairs, "translate_text": TranslateText}
