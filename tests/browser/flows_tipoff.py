"""The tip-off pages' steps, for this part's tests and the end-to-end
ones: a reporter fills the form and keeps the receipt, follows the case
up with the code, replies and adds evidence; a reviewer answers through
the API."""
import os

from selenium.webdriver.support.ui import WebDriverWait

from conftest import apiconf

# The proof of work runs in the browser at the configured difficulty
# (17 bits: about 130,000 hashes on average, a few seconds; rarely ten
# times that), so the wait for the receipt is long.
POW_WAIT = 300


def clear_rate_limits():
    """scripts/test.sh allows 3 tip-offs per address: every test starts
    afresh, as the HTTP tests do."""
    apiconf.sql("DELETE FROM rate_event")


def fill_tipoff(browser, category="unfiled_platform", filing_number=None,
                name="某漏洞平台", url="https://vulns.example.cn/",
                description="该平台未经备案即收集漏洞。\n多次发布未修复的漏洞。",
                contact=None):
    """On /tipoff: fills the form (a platform by number when
    filing_number is given, else by name and URL)."""
    browser.click("input[name='category'][value='%s']" % category)
    if filing_number:
        browser.click("#f-platform")
        browser.wait("#f-platform-filing_number")
        browser.fill("#f-platform-filing_number", filing_number)
    else:
        browser.click("#f-platform-2")
        browser.wait("#f-platform-name")
        browser.fill("#f-platform-name", name)
        browser.fill("#f-platform-url", url)
    browser.fill("#f-description", description)
    for k, v in (contact or {}).items():
        browser.fill("#f-contact-" + k, v)


def send_tipoff(browser):
    """Submits the form and waits for the proof of work and the answer:
    the receipt, or the error summary."""
    browser.click("#tipoff-submit")
    WebDriverWait(browser.d, POW_WAIT).until(
        lambda d: browser.finds("#tipoff-step-receipt:not(.vcp-hidden)")
        or browser.finds(".govuk-error-summary"))


def hold_proof(browser):
    """Holds back the worker's answer, so that the page stays in its
    "working" state until release_proof (to look at that state)."""
    browser.d.execute_script("""
        const Real = window.Worker;
        window.vcpHeld = [];
        window.Worker = class extends Real {
            set onmessage(f) {
                super.onmessage = (ev) => {
                    if (ev.data.nonce !== undefined && !window.vcpGo)
                        window.vcpHeld.push(() => f(ev));
                    else
                        f(ev);
                };
            }
        };
    """)


def wait_proof_held(browser):
    WebDriverWait(browser.d, POW_WAIT).until(
        lambda d: d.execute_script("return window.vcpHeld.length > 0"))


def release_proof(browser):
    browser.d.execute_script(
        "window.vcpGo = true; window.vcpHeld.forEach((f) => f());")


def submit_tipoff(browser, **fields):
    """A tip-off through the form; returns {reference, code} as the
    receipt shows them."""
    clear_rate_limits()
    browser.go("/tipoff")
    fill_tipoff(browser, **fields)
    send_tipoff(browser)
    return receipt(browser)


def receipt(browser):
    browser.wait("#receipt-code")
    return {"reference": browser.text("#receipt-reference"),
            "code": browser.text("#receipt-code").replace(" ", "")}


def confirm_saved(browser):
    """Ticks "I have saved it" and leaves for the follow-up page."""
    browser.click("#f-saved")
    browser.click("#saved-continue")
    browser.wait_url(r"/tipoff/follow$")


def allow_downloads(browser, directory):
    browser.d.execute_cdp_cmd("Browser.setDownloadBehavior", {
        "behavior": "allow", "downloadPath": directory})


def downloaded(directory, name, timeout=30):
    """The bytes of a finished download."""
    path = os.path.join(directory, name)
    WebDriverWait(None, timeout, poll_frequency=0.2).until(
        lambda _: os.path.exists(path) and os.path.getsize(path) > 0)
    with open(path, "rb") as f:
        return f.read()


def follow_up(browser, code):
    """On /tipoff/follow: opens the case with the receipt code."""
    browser.go("/tipoff/follow")
    browser.fill("#f-code", code)
    browser.click("#code-form button")
    browser.wait("#follow-step-case")


def reporter_reply(browser, text):
    browser.fill("#f-body", text)
    browser.click("#reply-form button")
    browser.wait_text(".vcp-banner", "留言已发送")


def reporter_add_evidence(browser, path):
    browser.find("#f-file").send_keys(path)
    browser.click("#upload-button")
    browser.wait_text(".vcp-banner", "证据文件已上传")


def reporter_logout(browser):
    browser.click("#logout-button")
    browser.wait("#follow-step-code")


def tipoff_id(reference):
    return int(apiconf.sql("SELECT id FROM tipoff WHERE reference = '%s'"
                           % reference)[0][0])


def reviewer_answers(reference, text, reviewer=None):
    """A reviewer takes the case and writes to the reporter (API)."""
    rev = reviewer or apiconf.logged_in("reviewer")
    tid = tipoff_id(reference)
    base = "/api/v1/review/tipoffs/%d" % tid
    r = rev.post(base + "/assignment")
    assert r.status_code == 200, r.text
    r = rev.post(base + "/messages", json={"body": text})
    assert r.status_code == 201, r.text
    return rev

