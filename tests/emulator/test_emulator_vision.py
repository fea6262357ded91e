"""Vision: images are decoded (format and size reach the model's text), broken ones refused."""

from __future__ import annotations

import base64
import http.server
import threading

import pytest
from emu_support import API_KEY, SWC, AppClient, create, data_url, error_of, image_bytes, text_of

from emulator.gateway.app import create_app
from emulator.state.outbound import Outbound


def _ask(client, url):
    return create(client, input=[{"role": "user", "content": [
        {"type": "input_text", "text": "Describe this image"}, {"type": "input_image", "image_url": url}]}])  # fmt: skip


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_supported_formats_are_decoded(client, fmt):
    r = _ask(client, data_url(fmt, (12, 7)))
    assert r.status_code == 200, r.text
    assert f"a 12x7 {fmt} image" in text_of(r.json())


def test_the_bytes_decide_not_the_mime_type(client):
    # The seed sends a JPEG labelled image/png; Azure answers it (the seed's sample scripts, docs/sources.md).
    r = _ask(client, data_url("JPEG", mime="image/png"))
    assert "JPEG image" in text_of(r.json())


@pytest.mark.parametrize("url", [
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/png;base64," + base64.b64encode(image_bytes()[:40]).decode(),
    "data:image/png;base64,not base64!",
    "data:text/plain;base64,aGVsbG8=",
], ids=["header-only", "truncated", "not-base64", "not-image"])  # fmt: skip
def test_a_corrupt_image_is_refused(client, url):
    r = _ask(client, url)
    assert r.status_code == 400
    error = error_of(r)
    assert error["code"] == "invalid_image_format" and error["param"] == "input[0].content[1].image_url"


@pytest.fixture
def image_server():
    payload = image_bytes("PNG", (20, 10))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/pic.png":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("content-type", "image/png")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_loopback_url_is_fetched(client, image_server):
    r = _ask(client, f"{image_server}/pic.png")
    assert r.status_code == 200, r.text
    assert "a 20x10 PNG image" in text_of(r.json())


@pytest.mark.parametrize("path", ["https://example.com/cat.jpg", "/missing.png"])
def test_an_unreachable_url_is_refused(client, image_server, path):
    url = path if path.startswith("https") else image_server + path
    r = _ask(client, url)
    assert r.status_code == 400
    error = error_of(r)
    assert error["code"] == "invalid_image_url" and url in error["message"]


def test_a_public_url_is_fetched_from_its_stand_in_and_named_as_sent(state, client, image_server):
    state.outbound = Outbound.parse([f"https://photos.example={image_server}"])
    fresh = AppClient(create_app(state), SWC, {"api-key": API_KEY})
    try:
        served = _ask(fresh, "https://photos.example/pic.png")
        missing = _ask(fresh, "https://photos.example/missing.png")
    finally:
        fresh.close()
    assert served.status_code == 200, served.text
    assert "a 20x10 PNG image" in text_of(served.json())
    assert missing.status_code == 400 and "https://photos.example/missing.png" in error_of(missing)["message"]
    # without the route the same URL is unreachable, as any public host is
    assert _ask(client, "https://photos.example/pic.png").status_code == 400


@pytest.mark.parametrize("rgb,colour", [
    ((30, 80, 210), "blue"), ((40, 170, 60), "green"), ((250, 250, 250), "white"), ((235, 215, 50), "yellow"),
])  # fmt: skip
def test_the_dominant_colour_comes_from_the_pixels(client, rgb, colour):
    import io

    from PIL import Image

    buf = io.BytesIO()
    img = Image.new("RGB", (20, 10), rgb)
    img.paste((10, 10, 10), (0, 0, 20, 3))  # a black band: a minority of the pixels
    img.save(buf, format="PNG")
    r = _ask(client, "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode())
    assert f"a 20x10 PNG image, mostly {colour}" in text_of(r.json())


def test_a_png_cut_after_its_header_is_refused_even_when_its_size_is_readable(client):
    whole = image_bytes("PNG", (64, 48))
    r = _ask(client, "data:image/png;base64," + base64.b64encode(whole[: len(whole) // 2]).decode())
    assert r.status_code == 400 and error_of(r)["code"] == "invalid_image_format"
