"""An operator's steps in the browser, for test_operator.py and for the
end-to-end tests composed from every part: registering and logging in,
filling the filing form step by step, attaching files, submitting,
answering a correction, copying the badge, reporting a change and
deregistering.  Each step waits until the page has done its work."""
import hashlib
import os
import re
import tempfile

from selenium.webdriver.support.ui import Select

from conftest import apiconf, unique

STEP_KEYS = ("platform", "sponsor", "people", "rules", "mlps", "management",
             "attachments")


def field_id(path):
    """The element id the pages give an API field path (lib/dom.js)."""
    return "f-" + re.sub(r"\[(\d+)\]", r"-\1", path).replace(".", "-")


def operator_register(browser, login=None, name="浏览器运营科技有限公司"):
    login = login or unique("op")
    browser.go("/account/register")
    browser.fill("#f-login", login)
    browser.fill("#f-name", name)
    browser.fill("#f-password", apiconf.STRONG)
    browser.fill("#f-password2", apiconf.STRONG)
    browser.click("#register-form button")
    browser.wait_url(r"/operator$")
    return login


def operator_login(browser, login):
    browser.go("/account/login")
    browser.fill("#f-login", login)
    browser.fill("#f-password", apiconf.STRONG)
    browser.click("#login-form button")
    browser.wait_url(r"/operator$")


def api_as(login):
    """The same operator through the API (a second device)."""
    c = apiconf.Client()
    assert c.login(login).status_code == 201
    return c


def start_filing(browser):
    browser.go("/operator")
    browser.click("#new-filing")
    browser.wait_url(r"/operator/filings/\d+$")
    browser.wait(".govuk-task-list")
    return int(re.search(r"/filings/(\d+)", browser.d.current_url).group(1))


def open_step(browser, key):
    """To one step through the task list (from a step, back to it first)."""
    sel = "section[data-step='tasks'] a[href='?step=%s']" % key
    if not browser.find(sel).is_displayed():
        browser.click("section.vcp-step:not([hidden]) a[href='?']")
        browser.wait(sel)
    browser.click(sel)
    return browser.wait("section[data-step='%s'] h1" % key)


def section(key):
    return "section[data-step='%s'] " % key


def fill_text(browser, path, value):
    browser.fill("#" + field_id(path), value)


def fill_step(browser, key, form):
    """Types a step's values from a form shaped as the API's."""
    if key == "platform":
        p = form["platform"]
        for k in ("name", "homepage", "icp", "online_date"):
            fill_text(browser, "platform." + k, p[k])
        for i, u in enumerate(p["publish_urls"]):
            if i and not browser.finds("#" + field_id(
                    "platform.publish_urls[%d]" % i)):
                browser.click("#f-platform-publish_urls-add")
            fill_text(browser, "platform.publish_urls[%d]" % i, u)
        for i, a in enumerate(p.get("social_accounts", [])):
            if not browser.finds("#" + field_id(
                    "platform.social_accounts[%d]" % i) + "-app"):
                browser.click("#f-platform-social_accounts-add")
            base = "#" + field_id("platform.social_accounts[%d]" % i)
            browser.fill(base + "-app", a["app"])
            browser.fill(base + "-account", a["account"])
    elif key == "sponsor":
        s = form["sponsor"]
        fill_text(browser, "sponsor.name", s["name"])
        radio = "#f-sponsor-type" + ("" if s["type"] == "individual"
                                     else "-" + s["type"])
        browser.click(radio)
        fill_text(browser, "sponsor.id_number", s["id_number"])
    elif key == "people":
        for who in ("principal", "contact"):
            for k in ("name", "mobile", "email"):
                fill_text(browser, who + "." + k, form[who][k])
    elif key == "rules":
        for k, v in form["rules"].items():
            fill_text(browser, "rules." + k, v)
    elif key == "mlps":
        fill_text(browser, "mlps.certificate_number",
                  form["mlps"]["certificate_number"])
        Select(browser.find("#f-mlps-level")).select_by_value(
            str(form["mlps"]["level"]))
    elif key == "management":
        fill_text(browser, "management.description",
                  form["management"]["description"])


def save_and_continue(browser, key):
    """Saves the step; the next one (or the check page) is shown."""
    browser.click(section(key) + "button[type=submit]")


def wait_step(browser, key):
    return browser.wait("section[data-step='%s'] h1" % key)


def fill_filing(browser, form, keys=STEP_KEYS[:-1]):
    """Fills the given steps in order, saving each."""
    if not browser.find("section[data-step='%s']" % keys[0]).is_displayed():
        open_step(browser, keys[0])
    for i, key in enumerate(keys):
        fill_step(browser, key, form)
        save_and_continue(browser, key)
        nxt = STEP_KEYS[STEP_KEYS.index(key) + 1]
        if i + 1 < len(keys) and keys[i + 1] != nxt:
            open_step(browser, keys[i + 1])
        else:
            wait_step(browser, nxt)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def upload(browser, kind, data=PDF, name="材料.pdf"):
    """Uploads one file of a kind on the attachments step; returns its
    SHA-256 as the page must show it."""
    d = tempfile.mkdtemp(prefix="vcp-upload-")
    path = os.path.join(d, name)
    with open(path, "wb") as fh:
        fh.write(data)
    fid = field_id("attachments." + kind)
    before = len(browser.finds("#%s-files .govuk-summary-card" % fid))
    browser.find("#" + fid).send_keys(path)
    browser.click("#%s-upload" % fid)
    browser.wait_text("#%s-status" % fid, "已上传：")
    cards = browser.finds("#%s-files .govuk-summary-card" % fid)
    assert len(cards) == before + 1
    digest = hashlib.sha256(data).hexdigest()
    assert digest in cards[-1].text
    return digest


def submit(browser):
    """From the check page: submits and waits for the receipt."""
    browser.click("#submit-filing")
    return browser.wait("#receipt")


def go_check(browser):
    browser.click(section("attachments") + "button[type=submit]")
    return browser.wait("#submit-filing")


def copy_badge(browser):
    """Copies the badge's code; returns the snippet as shown."""
    browser.click("#copy-badge")
    browser.wait_text("#badge-copied", "复制")
    return browser.find("#badge-snippet").get_attribute("value")


def request_change(browser, fid, groups, values, changed_on):
    """Fills the change page up to its confirmation: ticks the groups,
    types the new values ({path: value}) and the day they changed."""
    browser.go("/operator/filings/%d/change" % fid)
    for g in groups:
        box = "#f-changes" if g == "platform" else "#f-changes-" + g
        browser.click(box)
    for path, v in values.items():
        fill_text(browser, path, v)
    browser.fill("#f-changed_on", changed_on)
    browser.d.execute_script(
        "document.getElementById('f-changed_on').dispatchEvent("
        "new Event('change'))")
    browser.wait_text("#change-due", "报送期限")


def deregister(browser, fid, ended_on):
    """Up to the confirmation step of a deregistration."""
    browser.go("/operator/filings/%d/deregister" % fid)
    browser.fill("#f-ended_on", ended_on)
    browser.click("#deregister-continue")
