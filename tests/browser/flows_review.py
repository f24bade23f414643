"""The regulators' steps in the browser, reusable by the end-to-end
tests: logging in as staff, the review queue, a case's decisions, a
tip-off's handling, the notification outbox."""
from selenium.webdriver.support.ui import Select

from conftest import apiconf


def staff_login(browser, login, landing=r"/review$"):
    """Logs in through the login page; staff land on the review queue."""
    browser.go("/account/login")
    browser.fill("#f-login", login)
    browser.fill("#f-password", apiconf.STRONG)
    browser.click("#login-form button")
    browser.wait_url(landing)


def queue_card(browser, fid):
    """The queue's card of filing fid (its first, for a filing with a
    change under review too)."""
    browser.go("/review")
    cards = browser.finds("[data-filing='%d']" % fid)
    assert cards, "filing %d not in the queue" % fid
    return cards[0]


def open_case(browser, fid, change=None):
    browser.go("/review/filings/%d" % fid + (
        "?change=%d" % change if change else ""))
    browser.wait("#case-title")


def choose(browser, css, value):
    Select(browser.find(css)).select_by_value(value)


def submit(browser, fills, button, done):
    """Fills the fields ({css: text}), presses the button and waits for
    the success banner that says done; returns the banner."""
    for css, value in fills.items():
        browser.fill(css, value)
    browser.click(button)
    return browser.wait_text(".govuk-notification-banner--success", done)


def pick(browser, name, value):
    """Chooses the radio of that name and value."""
    radio = [r for r in browser.finds("input[name='%s']" % name)
             if r.get_attribute("value") == value][0]
    browser.click("#" + radio.get_attribute("id"))


def decide(browser, decision):
    index = {"approve": 0, "correct": 1, "reject": 2}[decision]
    browser.click("#f-decision" if index == 0 else "#f-decision-%d" % index)


def reviewer_request_correction(browser, fid, items, name=None):
    """items: [(path, problem), ...], picked in the page (two or more
    rows added with the page's button)."""
    open_case(browser, fid)
    decide(browser, "correct")
    for i, (path, problem) in enumerate(items):
        if i > 0:
            browser.click("#add-item")
        choose(browser, "#f-items-%d-field" % i, path)
        browser.fill("#f-items-%d-problem" % i, problem)
    if name:
        browser.check(name)
    submit(browser, {}, "#decide", "补正")


def reviewer_approve(browser, fid, change=None):
    """Approves in the page; returns the banner's text (with the filing
    number for a filing)."""
    open_case(browser, fid, change)
    decide(browser, "approve")
    return submit(browser, {}, "#decide", "已批准").text


def reviewer_reject(browser, fid, reasons):
    open_case(browser, fid)
    decide(browser, "reject")
    submit(browser, {"#f-reasons": reasons}, "#decide", "不予通过")


def reveal(browser, reason):
    """On an open case: the personal data in clear, with a reason."""
    browser.fill("#f-reason", reason)
    browser.click("#reveal-form button")
    return browser.wait("#revealed dl").text


def supervisor_revoke(browser, fid, reasons):
    """Revokes after the page's confirmation step."""
    open_case(browser, fid)
    browser.click("#revoke-start")
    submit(browser, {"#f-revoke_reasons": reasons}, "#revoke-confirm-button",
           "已撤销")


def open_tipoff(browser, tid):
    browser.go("/review/tipoffs/%d" % tid)
    browser.wait("#case-title")


def tipoff_take(browser):
    submit(browser, {}, "#take-form button", "承办")


def tipoff_message(browser, text):
    submit(browser, {"#f-body": text}, "#message-form button", "已发送")


def tipoff_note(browser, text):
    submit(browser, {"#f-note": text}, "#note-form button", "备注已保存")


def tipoff_link(browser, number):
    submit(browser, {"#f-filing_number": number}, "#filing-form button",
           "已关联")


def tipoff_duplicate(browser, original):
    submit(browser, {"#f-duplicate_of": str(original)},
           "#duplicate-form button", "重复")


def tipoff_status(browser, status, reason=None):
    pick(browser, "status", status)
    if reason:
        choose(browser, "#f-reason", reason)
    submit(browser, {}, "#status-form button", "状态已更新")


def tipoff_outcome(browser, kind, reasons, due_on=None, ministry=None):
    pick(browser, "kind", kind)
    if ministry:
        choose(browser, "#f-ministry", ministry)
    submit(browser, dict({"#f-reasons": reasons},
                         **({"#f-due_on": due_on} if due_on else {})),
           "#outcome-form button", "处理措施已记录")


def outbox_retry(browser, nid):
    """A supervisor re-sends row nid from the outbox page."""
    browser.go("/review/outbox")
    submit(browser, {}, "#retry-%d" % nid, "第 %d 号通报已重新排队" % nid)
