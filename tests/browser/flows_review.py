"""The regulators' steps in the browser, reusable by the end-to-end
tests: logging in as staff, the review queue, a case's decisions, a
tip-off's handling, the notification outbox."""
import re

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
    browser.click("#decide")
    browser.wait_text(".govuk-notification-banner--success", "补正")


def reviewer_approve(browser, fid, change=None):
    """Approves in the page; returns the banner's text (with the filing
    number for a filing)."""
    open_case(browser, fid, change)
    decide(browser, "approve")
    browser.click("#decide")
    return browser.wait_text(".govuk-notification-banner--success",
                             "已批准").text


def reviewer_reject(browser, fid, reasons):
    open_case(browser, fid)
    decide(browser, "reject")
    browser.fill("#f-reasons", reasons)
    browser.click("#decide")
    browser.wait_text(".govuk-notification-banner--success", "不予通过")


def reveal(browser, reason):
    """On an open case: the personal data in clear, with a reason."""
    browser.fill("#f-reason", reason)
    browser.click("#reveal-form button")
    return browser.wait("#revealed dl").text


def supervisor_revoke(browser, fid, reasons):
    open_case(browser, fid)
    browser.click("#revoke-start")
    browser.fill("#f-revoke_reasons", reasons)
    browser.click("#revoke-confirm-button")
    browser.wait_text(".govuk-notification-banner--success", "已撤销")


def open_tipoff(browser, tid):
    browser.go("/review/tipoffs/%d" % tid)
    browser.wait("#case-title")


def tipoff_take(browser):
    browser.click("#take-form button")
    browser.wait_text(".govuk-notification-banner--success", "承办")


def tipoff_message(browser, text):
    browser.fill("#f-body", text)
    browser.click("#message-form button")
    browser.wait_text(".govuk-notification-banner--success", "已发送")


def tipoff_status(browser, status, reason=None):
    radio = [r for r in browser.finds("input[name='status']")
             if r.get_attribute("value") == status][0]
    browser.click("#" + radio.get_attribute("id"))
    if reason:
        choose(browser, "#f-reason", reason)
    browser.click("#status-form button")
    browser.wait_text(".govuk-notification-banner--success", "状态已更新")


def outbox_retry(browser, nid):
    browser.go("/review/outbox")
    browser.click("#retry-%d" % nid)
    browser.wait_text(".govuk-notification-banner--success", re.sub(
        r"\D", "", str(nid)))


def tipoff_note(browser, text):
    browser.fill("#f-note", text)
    browser.click("#note-form button")
    browser.wait_text(".govuk-notification-banner--success", "备注已保存")


def tipoff_link(browser, number):
    browser.fill("#f-filing_number", number)
    browser.click("#filing-form button")
    browser.wait_text(".govuk-notification-banner--success", "已关联")


def tipoff_duplicate(browser, original):
    browser.fill("#f-duplicate_of", str(original))
    browser.click("#duplicate-form button")
    browser.wait_text(".govuk-notification-banner--success", "重复")


def tipoff_outcome(browser, kind, reasons, due_on=None, ministry=None):
    radios = browser.finds("input[name='kind']")
    value = [r for r in radios if r.get_attribute("value") == kind][0]
    browser.click("#" + value.get_attribute("id"))
    if due_on:
        browser.fill("#f-due_on", due_on)
    if ministry:
        choose(browser, "#f-ministry", ministry)
    browser.fill("#f-reasons", reasons)
    browser.click("#outcome-form button")
    browser.wait_text(".govuk-notification-banner--success", "处理措施已记录")
