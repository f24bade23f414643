"""Fixtures for the browser tests: Debian's headless Chromium driven by
Selenium through chromedriver, against the same Kore + MariaDB + nginx
as the HTTP tests (scripts/test.sh starts them).

Every page a test visits can be checked with axe-core (from the npm
registry, node_modules/axe-core) and photographed at desktop and phone
width under build/screenshots/.
"""
import importlib.util
import os
import re
import shutil
import sys
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("VCP_TOP", os.path.join(HERE, "..", ".."))
SHOTS = os.path.join(TOP, "build", "screenshots")
AXE = os.path.join(TOP, "node_modules", "axe-core", "axe.min.js")

# The HTTP tests' helpers (Client, sql, vcpctl, ...) and their modules
# (test_filing's forms and filings): this file is the "conftest" those
# modules import from in this run, so it offers the same names.
_spec = importlib.util.spec_from_file_location(
    "apiconf", os.path.join(HERE, "..", "api", "conftest.py"))
apiconf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(apiconf)
globals().update({k: v for k, v in vars(apiconf).items()
                  if not k.startswith("_") and k not in ("pytest", "os")})
sys.path.insert(0, os.path.join(HERE, "..", "api"))

BASE = apiconf.BASE
DESKTOP = (1280, 900)
PHONE = (360, 740)


@pytest.fixture(scope="session")
def _profile_dir():
    d = tempfile.mkdtemp(prefix="vcp-chromium-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def new_driver(profile, javascript=True):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    # This machine's network is closed: no background fetches, no QUIC.
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-sync",
              "--disable-component-update", "--disable-extensions",
              "--lang=zh-CN", "--user-data-dir=" + profile,
              "--window-size=%d,%d" % DESKTOP):
        opts.add_argument(a)
    if not javascript:
        opts.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                         options=opts)
    d.set_page_load_timeout(30)
    return d


def _person(profile_dir, javascript=True):
    """A fresh browser with its own profile (own cookies): one person."""
    d = new_driver(tempfile.mkdtemp(dir=profile_dir), javascript)
    try:
        yield Browser(d, js=javascript)
    finally:
        d.quit()


@pytest.fixture
def browser(_profile_dir):
    yield from _person(_profile_dir)


@pytest.fixture
def browser2(_profile_dir):
    """A second, independent person in the same test."""
    yield from _person(_profile_dir)


@pytest.fixture
def browser3(_profile_dir):
    """A third person (the public, beside an operator and a reviewer)."""
    yield from _person(_profile_dir)


@pytest.fixture
def nojs_browser(_profile_dir):
    yield from _person(_profile_dir, javascript=False)


class Browser:
    """The driver with the few things every page test does."""

    def __init__(self, driver, js=True):
        self.d = driver
        self.js = js

    def go(self, path):
        self.d.get(BASE + path)
        self.ready()

    def ready(self, timeout=20):
        """Waits for the document and, with scripts on, for the page's
        script to have finished its first work (body[data-ready])."""
        WebDriverWait(self.d, timeout).until(
            lambda d: d.execute_script("return document.readyState")
            == "complete")
        if self.js:
            WebDriverWait(self.d, timeout).until(
                lambda d: d.execute_script(
                    "return document.body.dataset.ready === '1'"))

    def wait(self, css, timeout=20, visible=True):
        cond = (EC.visibility_of_element_located if visible
                else EC.presence_of_element_located)
        return WebDriverWait(self.d, timeout).until(
            cond((By.CSS_SELECTOR, css)))

    def wait_text(self, css, text, timeout=20):
        WebDriverWait(self.d, timeout).until(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
        return self.d.find_element(By.CSS_SELECTOR, css)

    def wait_url(self, pattern, timeout=20):
        WebDriverWait(self.d, timeout).until(
            lambda d: re.search(pattern, d.current_url))
        self.ready()

    def find(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def fill(self, css, value):
        el = self.find(css)
        el.clear()
        el.send_keys(value)
        return el

    def click(self, css):
        el = self.find(css)
        self.d.execute_script("arguments[0].scrollIntoView({block:'center'})",
                              el)
        el.click()
        return el

    def text(self, css="main"):
        return self.find(css).text

    def check(self, name):
        """axe-core finds no serious or critical violation; a screenshot
        at desktop and phone width goes under build/screenshots/."""
        axe_check(self.d, name)
        screenshots(self.d, name)

    def console_errors(self):
        return [e for e in self.d.get_log("browser")
                if e["level"] == "SEVERE"]


def axe_check(d, name):
    with open(AXE, encoding="utf-8") as fh:
        d.execute_script(fh.read())
    res = d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html)}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}]));")
    bad = [v for v in res if v["impact"] in ("serious", "critical")]
    assert not bad, "%s: accessibility violations: %r" % (name, bad)


def screenshots(d, name):
    os.makedirs(SHOTS, exist_ok=True)
    size = d.get_window_size()
    try:
        for label, (w, h) in (("desktop", DESKTOP), ("phone", PHONE)):
            d.set_window_size(w, h)
            height = d.execute_script(
                "return Math.min(document.documentElement.scrollHeight, 6000)")
            d.set_window_size(w, max(h, height))
            d.save_screenshot(os.path.join(SHOTS, "%s-%s.png" % (name, label)))
            # Nothing may be wider than a phone's screen.
            if label == "phone":
                wide = d.execute_script(
                    "return document.documentElement.scrollWidth")
                assert wide <= w + 1, "%s is %dpx wide at %dpx" % (
                    name, wide, w)
    finally:
        d.set_window_size(size["width"], size["height"])
