"""A lightweight Streamlit client that speaks the browser's websocket protocol.

It does what the browser's JavaScript does, without rendering: GET /_stcore/health for the
XSRF cookie, open /_stcore/stream, send BackMsg rerun_script with the page name and the
widget states, read ForwardMsg deltas into a map of elements, follow fragment auto-reruns,
and upload files (file_urls_request, then an HTTP PUT to /_stcore/upload_file).
Only loopback addresses are accepted.
"""

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLsRequest, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

XSRF_COOKIE = "_streamlit_xsrf"
FRAGMENT_START_S = 10.0  # a fragment rerun that has not started by then was dropped by the server
FINISHED = ForwardMsg.ScriptFinishedStatus
ALERT_KINDS = {1: "error", 2: "warning", 3: "info", 4: "success"}
# element type -> WidgetState field its value travels in
VALUE_FIELD = {
    "button": "trigger_value", "checkbox": "bool_value", "number_input": "double_value",
    "slider": "double_array_value", "selectbox": "string_value", "radio": "string_value",
    "text_input": "string_value", "text_area": "string_value", "button_group": "string_array_value",
    "multiselect": "string_array_value", "file_uploader": "file_uploader_state_value",
}


class ClientError(RuntimeError):
    """The server misbehaved or did not answer in time."""


@dataclass
class Run:
    """What one interaction produced: time to the script's end and what appeared."""
    label: str
    seconds: float = 0.0
    exceptions: list[str] = field(default_factory=list)  # st.exception boxes (uncaught errors)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (kind, body) of st.error/warning/...
    ok: bool = True
    error: str = ""  # client-side failure: timeout, closed socket, HTTP error
    ignored: bool = False  # a fragment rerun the server dropped (its fragment was gone)


def _check_loopback(url: str) -> None:
    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load client only talks to loopback addresses, not {host!r}")


def _http(method: str, url: str, *, headers: dict | None = None, body: bytes | None = None,
          timeout: float = 30.0) -> tuple[int, dict, bytes]:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, _headers(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, _headers(e.headers), e.read()


def _headers(msg) -> dict:
    """Headers as a dict with lower-case names; every Set-Cookie kept, as a list."""
    out = {k.lower(): v for k, v in msg.items()}
    out["set-cookie"] = msg.get_all("Set-Cookie") or []
    return out


def _multipart(name: str, data: bytes, mime: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n"
            f"Content-Type: {mime}\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class StreamlitClient:
    """One browser tab: a websocket session, its elements and widget values."""

    def __init__(self, base_url: str, *, timeout_s: float = 60.0):
        _check_loopback(base_url)
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.session_id: str | None = None
        self.pages: dict[str, str] = {}  # url path -> page_script_hash
        self.page_hash = ""
        self.elements: dict[tuple, tuple[str, object]] = {}  # delta path -> (type, proto), as they arrive
        self.settled: dict[tuple, tuple[str, object]] = {}  # the elements when the last run finished
        self.values: dict[str, WidgetState] = {}  # widget id -> last value sent
        self.xsrf = ""
        self.cookies: dict[str, str] = {}
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._finished: asyncio.Queue = asyncio.Queue()
        self._file_urls: dict[str, asyncio.Future] = {}
        self._auto: dict[str, asyncio.Task] = {}  # fragment id -> auto-rerun task
        self._started = asyncio.Event()  # set when a script run starts (or ends) after a request
        self._busy = asyncio.Lock()  # one script run at a time, as in the browser
        self._run: Run | None = None
        self._path_fragment: dict[tuple, str] = {}  # delta path -> fragment that drew it
        self._fragment_ids: dict[str, str] = {}  # widget id -> id of the fragment that drew it
        self.closed = False
        self.trace: list | None = None  # (time, message kind) of every ForwardMsg, when debugging
        self.fatal: list[str] = []  # why the websocket closed, if it did
        self.background_exceptions: list[str] = []  # exception boxes in auto-reruns or outside a run

    # --- connection -------------------------------------------------------------------------
    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        status, headers, _ = await asyncio.to_thread(_http, "GET", f"{self.base_url}/_stcore/health")
        if status != 200:
            raise ClientError(f"health check answered {status}")
        for cookie in headers["set-cookie"]:  # the XSRF cookie, and a proxy's sticky-session cookie
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        self.xsrf = self.cookies.get(XSRF_COOKIE, "")
        ws_url = "ws" + self.base_url[4:] + "/_stcore/stream"
        extra = {"Origin": self.base_url}
        if self.cookies:
            extra["Cookie"] = self.cookie_header()
        protos = ["streamlit", self.xsrf] if self.xsrf else ["streamlit"]
        self._ws = await connect(ws_url, subprotocols=protos, additional_headers=extra,
                                 max_size=64 * 2**20, open_timeout=self.timeout_s, compression=None)
        self._reader = asyncio.create_task(self._read_loop())

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def close(self) -> None:
        self.closed = True
        for t in self._auto.values():
            t.cancel()
        self._auto.clear()
        if self._ws is not None:
            try:
                await asyncio.wait_for(self._ws.close(), 10)
            except Exception:  # already gone, or the server is too busy to answer the close
                pass
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass

    async def _send(self, msg: BackMsg) -> None:
        await self._ws.send(msg.SerializeToString())

    # --- incoming messages ------------------------------------------------------------------
    async def _read_loop(self) -> None:
        try:
            async for raw in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except Exception as e:  # connection closed: wake any waiter
            if not self.closed:
                self.fatal.append(f"websocket closed: {type(e).__name__}: {e}")
        finally:
            self._finished.put_nowait(None)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind in ("new_session", "script_finished"):
            self._started.set()
        if self.trace is not None:
            self.trace.append((round(time.perf_counter(), 2), kind))
        if kind == "new_session":
            ns = msg.new_session
            self.session_id = ns.initialize.session_id or self.session_id
            frags = set(msg.metadata.run.fragment_ids)
            if frags:  # a fragment run redraws only that fragment's elements
                for path in [p for p, f in self._path_fragment.items() if f in frags]:
                    self.elements.pop(path, None)
                    self._path_fragment.pop(path, None)
                return
            self.page_hash = ns.page_script_hash
            self.elements.clear()  # a full run redraws the page and re-registers its fragments
            self._path_fragment.clear()
            for t in self._auto.values():
                t.cancel()
            self._auto.clear()
        elif kind == "navigation":
            for p in msg.navigation.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "delta":
            self._delta(tuple(msg.metadata.delta_path), msg.delta)
        elif kind == "script_finished":
            if msg.script_finished != FINISHED.FINISHED_EARLY_FOR_RERUN:
                self.settled = dict(self.elements)
            self._finished.put_nowait(msg.script_finished)
        elif kind == "auto_rerun":
            ar = msg.auto_rerun
            old = self._auto.pop(ar.fragment_id, None)
            if old:
                old.cancel()
            self._auto[ar.fragment_id] = asyncio.create_task(self._auto_loop(ar.fragment_id, ar.interval))
        elif kind == "stop_auto_rerun":
            fids = set(msg.stop_auto_rerun.fragment_ids)
            for k in [k for k in self._auto if not fids or k in fids]:
                self._auto.pop(k).cancel()
        elif kind == "file_urls_response":
            fut = self._file_urls.pop(msg.file_urls_response.response_id, None)
            if fut and not fut.done():
                fut.set_result(msg.file_urls_response)

    def _delta(self, path: tuple, delta) -> None:
        dk = delta.WhichOneof("type")
        if delta.fragment_id:
            self._path_fragment[path] = delta.fragment_id
        if dk == "new_element":
            el = delta.new_element
            et = el.WhichOneof("type")
            proto = getattr(el, et) if et else None
            self.elements[path] = (et, proto)
            wid = getattr(proto, "id", "") if proto is not None else ""
            if wid and delta.fragment_id:
                self._fragment_ids[wid] = delta.fragment_id
            sink = self._run.exceptions if self._run else self.background_exceptions
            if et == "exception":
                sink.append(f"{proto.type}: {proto.message}")
            elif et == "alert" and self._run is not None:
                self._run.alerts.append((ALERT_KINDS.get(proto.format, "alert"), proto.body))
        elif dk == "add_block":
            self.elements[path] = ("block", delta.add_block)

    # --- widgets ----------------------------------------------------------------------------
    def widget(self, key: str) -> tuple[str, object]:
        """The (type, proto) of the widget with this user key on the current page."""
        for et, proto in self.settled.values():
            wid = getattr(proto, "id", "") if et not in ("block", None) else ""
            if wid and wid.endswith("-" + key):
                return et, proto
        raise ClientError(f"no widget with key {key!r} on the page")

    def has_widget(self, key: str) -> bool:
        try:
            self.widget(key)
            return True
        except ClientError:
            return False

    def alerts(self, kind: str = "error") -> list[str]:
        """Bodies of the alerts of this kind now on the page."""
        return [p.body for et, p in self.settled.values() if et == "alert" and ALERT_KINDS.get(p.format) == kind]

    def keys(self, prefix: str = "") -> list[str]:
        """User keys of the widgets now on the page (optionally those starting with prefix)."""
        out = []
        for et, proto in self.settled.values():
            wid = getattr(proto, "id", "") if et not in ("block", None) else ""
            parts = wid.split("-", 2)
            if wid.startswith("$$ID-") and len(parts) == 3 and parts[2].startswith(prefix):
                out.append(parts[2])
        return out

    def count(self, element_type: str) -> int:
        return sum(1 for et, _ in self.settled.values() if et == element_type)

    def set_value(self, key: str, value) -> WidgetState:
        """Set a widget's value (as the browser sends it: option labels, floats, lists)."""
        et, proto = self.widget(key)
        fld = VALUE_FIELD.get(et)
        if et == "slider" and len(proto.options):  # st.select_slider sends option labels
            fld = "string_array_value"
        if fld is None:
            raise ClientError(f"widget {key!r} is a {et}; setting it is not supported")
        ws = WidgetState(id=proto.id)
        if fld == "trigger_value":
            ws.trigger_value = True
        elif fld == "bool_value":
            ws.bool_value = bool(value)
        elif fld == "double_value":
            ws.double_value = float(value)
        elif fld == "double_array_value":
            ws.double_array_value.data.extend([float(v) for v in (value if isinstance(value, list) else [value])])
        elif fld == "string_value":
            ws.string_value = str(value)
        elif fld == "string_array_value":
            ws.string_array_value.data.extend([str(v) for v in (value if isinstance(value, list) else [value])])
        elif fld == "file_uploader_state_value":
            ws.file_uploader_state_value.uploaded_file_info.extend(value)
        self.values[proto.id] = ws
        return ws

    def _states(self, trigger: WidgetState | None = None):
        """Widget states to send: the values set on widgets still on the page, plus a trigger."""
        on_page = {getattr(p, "id", "") for et, p in self.settled.values() if et not in ("block", None)}
        states = [ws for wid, ws in self.values.items() if wid in on_page and not ws.HasField("trigger_value")]
        self.values = {wid: ws for wid, ws in self.values.items() if not ws.HasField("trigger_value")}
        if trigger is not None:
            states.append(trigger)
        return states

    # --- interactions -----------------------------------------------------------------------
    async def _rerun(self, label: str, *, page: str | None = None, trigger: WidgetState | None = None,
                     fragment_id: str = "", auto: bool = False) -> Run:
        async with self._busy:
            run = Run(label)
            self._run = run
            while not self._finished.empty():
                self._finished.get_nowait()
            msg = BackMsg()
            cs = msg.rerun_script
            cs.query_string = ""
            cs.widget_states.widgets.extend(self._states(trigger))
            if page is not None:
                cs.page_name = page
                if page in self.pages:
                    cs.page_script_hash = self.pages[page]
            else:
                cs.page_script_hash = self.page_hash
            cs.fragment_id = fragment_id
            cs.is_auto_rerun = auto
            t0 = time.perf_counter()
            self._started.clear()
            try:
                await self._send(msg)
                if fragment_id:
                    # The server silently drops a rerun of a fragment that a full run has just
                    # removed (the browser does not wait for an answer); so do not wait forever.
                    try:
                        await asyncio.wait_for(self._started.wait(), FRAGMENT_START_S)
                    except TimeoutError:
                        run.ignored = True
                        return run
                while True:
                    status = await asyncio.wait_for(self._finished.get(), self.timeout_s)
                    if status is None:
                        raise ClientError("; ".join(self.fatal) or "websocket closed")
                    if status != FINISHED.FINISHED_EARLY_FOR_RERUN:
                        break
            except TimeoutError:
                run.ok, run.error = False, f"no script_finished within {self.timeout_s:.0f} s"
            except Exception as e:
                run.ok, run.error = False, f"{type(e).__name__}: {e}"
            finally:
                run.seconds = time.perf_counter() - t0
                self._run = None
            return run

    async def _auto_loop(self, fragment_id: str, interval: float) -> None:
        """The browser re-runs a `run_every` fragment on a timer; so do we."""
        try:
            while not self.closed:
                await asyncio.sleep(max(0.2, interval))
                if self._busy.locked():
                    continue
                run = await self._rerun("auto", fragment_id=fragment_id, auto=True)
                self.background_exceptions += run.exceptions
                if not run.ok and not self.closed:
                    self.fatal.append(f"fragment auto-rerun: {run.error}")
        except asyncio.CancelledError:
            pass

    async def open(self, page: str = "") -> Run:
        """Load a page by its url path ('' = the default page)."""
        return await self._rerun(f"open {page or 'home'}", page=page)

    async def rerun(self, label: str = "rerun") -> Run:
        return await self._rerun(label)

    async def click(self, key: str, label: str | None = None) -> Run:
        et, proto = self.widget(key)
        ws = WidgetState(id=proto.id, trigger_value=True)
        # a widget drawn inside a fragment reruns only that fragment, as in the browser
        fid = self._fragment_ids.get(proto.id, "")
        return await self._rerun(label or f"click {key}", trigger=ws, fragment_id=fid)

    async def change(self, key: str, value, label: str | None = None) -> Run:
        self.set_value(key, value)
        return await self._rerun(label or f"set {key}")

    async def upload(self, key: str, files: list[tuple[str, bytes, str]], label: str | None = None) -> Run:
        """Upload (name, bytes, mime) files to a file_uploader, then rerun as the browser does."""
        et, proto = self.widget(key)
        if et != "file_uploader":
            raise ClientError(f"widget {key!r} is a {et}, not a file_uploader")
        t0 = time.perf_counter()
        req_id = uuid.uuid4().hex
        fut = asyncio.get_running_loop().create_future()
        self._file_urls[req_id] = fut
        msg = BackMsg(file_urls_request=FileURLsRequest(request_id=req_id, file_names=[f[0] for f in files],
                                                        session_id=self.session_id or ""))
        await self._send(msg)
        resp = await asyncio.wait_for(fut, self.timeout_s)
        if resp.error_msg:
            raise ClientError(f"file_urls_request refused: {resp.error_msg}")
        infos = []
        for (name, data, mime), urls in zip(files, resp.file_urls):
            body, ctype = _multipart(name, data, mime)
            headers = {"Content-Type": ctype}
            if self.xsrf:
                headers["X-Xsrftoken"] = self.xsrf
            if self.cookies:
                headers["Cookie"] = self.cookie_header()
            status, _, text = await asyncio.to_thread(_http, "PUT", self.base_url + urls.upload_url,
                                                      headers=headers, body=body)
            if status != 204:
                run = Run(label or f"upload {key}", ok=False,
                          error=f"upload PUT answered {status}: {text[:200].decode('utf-8', 'replace')}")
                run.seconds = time.perf_counter() - t0
                return run
            infos.append(UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id, file_urls=urls))
        self.set_value(key, infos)
        run = await self._rerun(label or f"upload {key}")
        run.seconds = time.perf_counter() - t0
        return run
