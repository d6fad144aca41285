"""The deployment examples of server/deploy/, run for real on 127.0.0.1.

- w3id.org's ``.htaccess`` in Debian's apache2 with mod_rewrite: every kind of tradelod IRI is
  redirected to the configured host, and content negotiation still works through the redirect.
- The nginx cache example in front of two ``tradelod serve`` front ends over one engine (Oxigraph
  server): the front ends give the same answers and ETags, a repeated request is answered by nginx
  even with the engine stopped, and a new release is seen once the documented max-age has passed.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Event

import pytest

from support.engines import free_port, require_engine, start_engine, stop_engine
from support.live_server import LiveServer, live_server
from tradelod.store.engine import EngineClient
from tradelod.store.publish import publish
from tradelod.store.remote import REFRESH_SECONDS

pytestmark = pytest.mark.network

DEPLOY = Path(__file__).resolve().parents[2] / "server" / "deploy"
APACHE = "/usr/sbin/apache2"
NGINX = "/usr/sbin/nginx"
MODULES = Path("/usr/lib/apache2/modules")


def require_tool(path: str, package: str) -> None:
    """Skip without the tool, except under CI, where .ci/run installs it and its absence fails."""
    if Path(path).is_file():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{path} is missing: .ci/run installs {package}", pytrace=False)
    pytest.skip(f"{path} is missing (apt-get install {package})")


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 30.0) -> None:
    """Poll ``url`` until it answers (any status), within a deadline; report the log if the server died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError as error:
            error.close()
            return
        except OSError:
            pass
        try:
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
    raise TimeoutError(f"nothing answered on {url} within {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server we started, by its PID."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let a test see each redirect instead of following it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, accept: str | None = None, follow: bool = True) -> tuple[int, dict[str, str], bytes, str]:
    """GET ``url`` (following redirects unless told not to): status, headers, body, final URL."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read(), response.url
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read(), url


# --- w3id.org: the .htaccess in apache2 -----------------------------------------------------------

APACHE_CONF = """\
ServerRoot {root}
Listen 127.0.0.1:{port}
PidFile {root}/apache2.pid
ErrorLog {root}/error.log
LogLevel warn
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule rewrite_module {modules}/mod_rewrite.so
ServerName 127.0.0.1
DocumentRoot {root}/www
<Directory {root}/www>
    AllowOverride All
    Require all granted
</Directory>
"""


@contextmanager
def apache_with_w3id_rules(folder: Path, host: str) -> Iterator[str]:
    """apache2 on 127.0.0.1 serving w3id's tradelod/ folder with our .htaccess aimed at ``host``."""
    www = folder / "www" / "tradelod"
    www.mkdir(parents=True)
    rules = (DEPLOY / "w3id" / ".htaccess").read_text(encoding="utf-8")
    assert "https://tradelod.example.org" in rules
    (www / ".htaccess").write_text(rules.replace("https://tradelod.example.org", host), encoding="utf-8")
    port = free_port()
    conf = folder / "apache2.conf"
    conf.write_text(APACHE_CONF.format(root=folder, port=port, modules=MODULES), encoding="utf-8")
    log = folder / "error.log"
    process = subprocess.Popen(
        [APACHE, "-f", str(conf), "-DFOREGROUND"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", process, log)
        yield f"http://127.0.0.1:{port}/tradelod/"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def front(build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(build_dir, tmp_path_factory.mktemp("front")) as running:
        yield running


@pytest.fixture(scope="module")
def w3id(front: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_tool(APACHE, "apache2")
    with apache_with_w3id_rules(tmp_path_factory.mktemp("apache"), front.url) as base:
        yield base


@pytest.mark.parametrize(
    ("path", "accept", "final_path", "media_type"),
    [
        ("id/place/chongqing", "text/turtle", "/doc/place/chongqing.ttl", "text/turtle"),
        ("id/place/chongqing", "text/html", "/doc/place/chongqing", "text/html"),
        ("id/observation/003-kz-cn-turnover-2024", "application/ld+json", "/doc/observation/003-kz-cn-turnover-2024.jsonld", "application/ld+json"),
        ("id/quote/003-07", "application/n-triples", "/doc/quote/003-07.nt", "application/n-triples"),
        ("doc/org/asean.rdf", None, "/doc/org/asean.rdf", "application/rdf+xml"),
        ("ontology", "text/turtle", "/ontology", "text/turtle"),
        ("ontology/0.1.0", "text/turtle", "/ontology.ttl", "text/turtle"),
        ("shapes", "application/n-triples", "/shapes", "application/n-triples"),
        ("graph/void", "text/turtle", "/graph/void", "text/turtle"),
        ("dataset", "text/turtle", "/.well-known/void.ttl", "text/turtle"),
        ("context.jsonld", None, "/context.jsonld", "application/ld+json"),
        ("sparql", "text/turtle", "/sparql", "text/turtle"),
        ("dumps/", "application/json", "/dumps/", "application/json"),
        ("", "text/html", "/", "text/html"),
    ],
)  # fmt: skip
def test_w3id_redirects_every_kind_of_iri_and_negotiation_survives(
    w3id: str, front: LiveServer, path: str, accept: str | None, final_path: str, media_type: str
) -> None:
    status, headers, _, _ = fetch(w3id + path, accept, follow=False)
    assert status in (303, 307)
    assert headers["Location"] == f"{front.url}/{path}"
    status, headers, body, final = fetch(w3id + path, accept)
    assert status == 200, body[:300]
    assert final == front.url + final_path
    assert headers["Content-Type"].split(";")[0] == media_type
    assert body


def test_w3id_keeps_the_query_string_and_the_method_of_sparql_posts(w3id: str, front: LiveServer) -> None:
    status, headers, _, _ = fetch(w3id + "search?q=chongqing", "text/html", follow=False)
    assert (status, headers["Location"]) == (303, f"{front.url}/search?q=chongqing")
    request = urllib.request.Request(
        w3id + "sparql", data=b"ASK {}", method="POST", headers={"Content-Type": "application/sparql-query"}
    )
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=30)
    with redirect.value:
        assert redirect.value.code == 307
        assert redirect.value.headers["Location"] == f"{front.url}/sparql"


# --- nginx in front of two stateless front ends over one engine ---------------------------------


def nginx_conf(folder: Path, port: int, upstreams: list[int]) -> Path:
    """The README's nginx example with this test's ports, cache folder and pid/log files."""
    example = (DEPLOY / "nginx" / "tradelod-cache.conf").read_text(encoding="utf-8")
    example = example.replace("/var/cache/nginx/tradelod", str(folder / "cache"))
    example = example.replace(
        "    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n",
        "".join(f"    server 127.0.0.1:{p};\n" for p in upstreams),
    )
    example = example.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
    conf = folder / "nginx.conf"
    conf.write_text(
        # Workers run as the user who started nginx (root in CI), so they can write the test's cache folder.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\nevents {{}}\n"
        f"http {{\naccess_log off;\nclient_body_temp_path {folder}/body;\nproxy_temp_path {folder}/proxy;\n"
        f"{example}\n}}\n",
        encoding="utf-8",
    )
    return conf


@pytest.mark.slow
def test_nginx_caches_stateless_front_ends_over_one_engine(
    releases: tuple[Path, str, str], tmp_path: Path
) -> None:
    require_tool(NGINX, "nginx-light")
    require_engine("oxigraph")
    # Two releases in the front ends' build folder: A is loaded first, B later (one more label).
    out, first_release, second_release = releases
    with start_engine("oxigraph", tmp_path / "engine") as engine:
        client = EngineClient(engine.settings())
        publish(out / "releases" / first_release, client, lambda _: None)
        settings = {**{k.removeprefix("TRADELOD_"): v for k, v in engine.environment().items()}}
        settings["CACHE_SECONDS"] = {"data": 2, "page": 2, "sparql": 2, "fragment": 2, "dump": 2, "static": 2}
        with (
            live_server(out, tmp_path, settings) as one,
            live_server(out, tmp_path, settings) as two,
        ):
            path = "/doc/place/chongqing.ttl"
            a, b = one.request("GET", path), two.request("GET", path)
            assert (a.status, b.status) == (200, 200)
            assert a.body == b.body and a.headers["ETag"] == b.headers["ETag"]
            assert a.headers["Last-Modified"] == b.headers["Last-Modified"]
            assert a.headers["Cache-Control"] == "public, max-age=2"
            assert b"Chungking" not in a.body
            folder = tmp_path / "nginx"
            folder.mkdir()
            port = free_port()
            conf = nginx_conf(folder, port, [one.port, two.port])
            process = subprocess.Popen(
                [NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
            )
            try:
                wait_for(f"http://127.0.0.1:{port}/favicon.ico", process, folder / "error.log")
                url = f"http://127.0.0.1:{port}{path}"
                first = fetch(url, "text/turtle")
                second = fetch(url, "text/turtle")
                assert first[0] == second[0] == 200 and first[2] == second[2] == a.body
                assert second[1]["X-Cache-Status"] == "HIT"

                # A new release loaded into the engine: the cache may answer the old document for
                # max-age, the front ends for REFRESH_SECONDS more; then every answer is the new one.
                published = publish(out / "releases" / second_release, client, lambda _: None)
                loaded = time.monotonic()
                assert published.release_id == second_release
                deadline = (
                    loaded + 2 + REFRESH_SECONDS + 30
                )  # the documented delay, and room for a busy machine
                while b"Chungking" not in (latest := fetch(url, "text/turtle"))[2]:
                    assert latest[2] == a.body  # never anything but the old or the new document
                    assert time.monotonic() < deadline, "the new release was not seen through the cache"
                    Event().wait(0.2)
                seen = time.monotonic() - loaded
                assert latest[0] == 200 and latest[1]["ETag"] != a.headers["ETag"]
                assert one.request("GET", path).body == two.request("GET", path).body == latest[2]
                print(f"new release seen through the cache {seen:.1f} s after the load (max-age 2 s)")

                # With the engine stopped, the front ends answer 503 but the cache still answers.
                cached = fetch(url, "text/turtle")
                stop_engine(engine)
                down = one.request("GET", path)
                assert down.status == 503 and down.headers["Retry-After"]
                again = fetch(url, "text/turtle")
                assert again[0] == 200 and again[2] == cached[2]
            finally:
                stop(process)
        client.close()
