"""A loopback stand-in for api.open-meteo.com, reached the way a script reaches the internet.

The seed's weather samples call the public forecast API *themselves* (``requests.get`` to
``https://api.open-meteo.com/v1/forecast``). To run them unmodified without the internet,
their environment names this proxy (``HTTPS_PROXY``) and a throwaway certificate authority
(``REQUESTS_CA_BUNDLE``): the proxy accepts ``CONNECT api.open-meteo.com:443`` only, speaks TLS
with a certificate that authority signed for that name, and answers ``/v1/forecast`` with a
fixed reading. Every other host is refused (403), so nothing else is intercepted; the
emulator stays reachable directly (``NO_PROXY``). The authority's key lives in a temporary
directory and dies with the run.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import ssl
import tempfile
import threading
from pathlib import Path
from typing import Any

HOST = "api.open-meteo.com"
#: What the stand-in reports: the sample's answer must carry these numbers.
READING = {"temperature_2m": 14.2, "wind_speed_10m": 3.1}


def _authority(folder: Path) -> tuple[Path, Path, Path]:
    """A CA (its certificate is the bundle) and a leaf for HOST: (ca.pem, leaf.pem, leaf.key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "seed-samples stand-in CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)]))
            .issuer_name(ca_name).public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(leaf.public_bytes(pem))
    paths[2].write_bytes(leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths


async def _headers(reader: asyncio.StreamReader) -> list[bytes]:
    lines = []
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        lines.append(line)
    return lines


def _reply(status: str, body: bytes, kind: str = "application/json") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    return head.encode() + body


class ForecastProxy:
    """Context manager: :attr:`env` is what the script's environment needs."""

    def __init__(self) -> None:
        self.env: dict[str, str] = {}
        self._tmp = tempfile.TemporaryDirectory(prefix="seed-proxy-")
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._server: Any = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readline()
            await _headers(reader)
            method, target, _ = request.decode("latin-1").split(" ", 2)
            if method != "CONNECT" or target != f"{HOST}:443":
                writer.write(_reply("403 Forbidden", b"this proxy reaches only " + HOST.encode(), "text/plain"))
                return
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await writer.start_tls(self._tls)
            line = (await reader.readline()).decode("latin-1")
            await _headers(reader)
            path = line.split(" ")[1] if line.count(" ") >= 2 else ""
            if path.startswith("/v1/forecast"):
                writer.write(_reply("200 OK", json.dumps({"current": READING}).encode()))
            else:
                writer.write(_reply("404 Not Found", b'{"error": true, "reason": "not served by the stand-in"}'))
            await writer.drain()
        except (OSError, ValueError, ssl.SSLError):
            pass
        finally:
            writer.close()

    def __enter__(self) -> ForecastProxy:
        ca, leaf, key = _authority(Path(self._tmp.name))
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._tls.load_cert_chain(leaf, key)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        port = self._server.sockets[0].getsockname()[1]
        self._thread = threading.Thread(target=self._loop.run_forever, name="forecast-proxy", daemon=True)
        self._thread.start()
        proxy = f"http://127.0.0.1:{port}"
        self.env = {"HTTPS_PROXY": proxy, "https_proxy": proxy, "REQUESTS_CA_BUNDLE": str(ca)}
        return self

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._tmp.cleanup()
