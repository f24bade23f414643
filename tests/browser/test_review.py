"""The regulators' pages: the review queue, a case's decisions (a
correction with items picked in the page, approval with a number,
rejection, revocation, personal data revealed with a reason), a tip-off
answered, and the notification outbox with who may re-send."""
import random

import requests
from selenium.webdriver.support.ui import WebDriverWait

from conftest import apiconf, unique
from flows_review import (decide, open_case, open_tipoff, outbox_retry,
                          queue_card, reveal, reviewer_approve,
                          reviewer_reject, reviewer_request_correction,
                          staff_login, supervisor_revoke, tipoff_duplicate,
                          tipoff_link, tipoff_message, tipoff_note,
                          tipoff_outcome, tipoff_status, tipoff_take)
from test_filing import filed, good_form, submitted


def staff(role):
    return apiconf.make_account(role)


def check(browser, name):
    """axe and screenshots (browser.check), and the page warns exactly
    when the API says a holiday notice is missing."""
    w = requests.get(apiconf.url("/api/v1/calendar/years"),
                     timeout=10).json()["warning"]
    shown = browser.finds("#calendar-warning")
    if w:
        assert shown and w["message"] in shown[0].text
    else:
        assert not shown
    browser.check(name)


def test_correction_picked_in_the_page_then_approval(browser):
    op = apiconf.logged_in("operator")
    name = "审核页面测试平台" + unique("")
    f = submitted(op, good_form(name=name))
    fid = f["id"]
    staff_login(browser, staff("reviewer"))
    card = queue_card(browser, fid)
    assert name in card.text and "首次申请" in card.text
    assert f["deadline"] in card.text and "个工作日" in card.text
    check(browser, "review-queue")

    # The case: the form as a summary, masked personal data, history.
    open_case(browser, fid)
    assert name in browser.text("#case-title")
    assert "1101**********002X" in browser.text("#group-sponsor")
    assert "提交备案申请" in browser.text("#history")
    assert len(browser.finds(".vcp-attachment")) == 2
    check(browser, "review-case")
    # A file opens in a new window, from its bytes as the API gives them.
    first = browser.d.current_window_handle
    browser.click(".vcp-attachment .govuk-summary-card__action a")
    WebDriverWait(browser.d, 20).until(
        lambda d: len(d.window_handles) == 2)
    other = [w for w in browser.d.window_handles if w != first][0]
    browser.d.switch_to.window(other)
    WebDriverWait(browser.d, 20).until(
        lambda d: d.current_url.startswith("blob:"))
    browser.d.close()
    browser.d.switch_to.window(first)

    # A correction without its problem text is refused beside the row.
    decide(browser, "correct")
    browser.click("#decide")
    browser.wait(".govuk-error-summary")
    assert browser.find("#f-items-0-field-error").is_displayed()
    check(browser, "review-case-correction-errors")

    reviewer_request_correction(browser, fid, [
        ("mlps.certificate_number", "证书编号与附件不符"),
        ("platform.publish_urls[0]", "发布网址无法访问")],
        name="review-case-correction")
    check(browser, "review-case-correction-sent")
    got = op.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert got["status"] == "correction_requested"
    assert [i["field"] for i in got["decision"]["items"]] == [
        "mlps.certificate_number", "platform.publish_urls[0]"]
    assert "证书编号与附件不符" in browser.text("main")

    # The operator resubmits (through the API here).
    form = got["form"]
    form["mlps"]["certificate_number"] = "11010199001-00002"
    assert op.put("/api/v1/filings/%d" % fid, json={
        "version": got["version"], "form": form}).status_code == 200
    assert op.post("/api/v1/filings/%d/submit" % fid).status_code == 200
    card = queue_card(browser, fid)
    assert "补正后重新提交" in card.text and "重新提交" in card.text

    text = reviewer_approve(browser, fid)
    number = op.get("/api/v1/filings/%d" % fid).json()["filing"][
        "filing_number"]
    assert number and number in text
    assert "已备案" in browser.text("main")
    # No decision form any more, and a reviewer may not revoke.
    assert not browser.finds("#decision-form")
    assert not browser.finds("#revoke-form")
    check(browser, "review-case-approved")


def test_a_deadline_waiting_for_the_holiday_notice(browser):
    from test_calendar_pending import label, today, year_taken_out
    op = apiconf.logged_in("operator")
    staff_login(browser, staff("reviewer"))
    year = today().year
    with year_taken_out(year):
        fid = submitted(op)["id"]
        card = queue_card(browser, fid)
        assert label(year) in card.text and "期限待定" in card.text
        assert str(year) in browser.text("#calendar-warning")
        check(browser, "review-queue-pending")


def test_reject_reveal_and_revoke(browser):
    op = apiconf.logged_in("operator")
    fid = submitted(op)["id"]
    staff_login(browser, staff("supervisor"))
    open_case(browser, fid)
    # Revealing needs a reason: the API's field error beside the box.
    browser.click("#reveal-form button")
    browser.wait("#f-reason-error")
    check(browser, "review-case-reveal-error")
    text = reveal(browser, "核实主办者身份")
    assert "11010519491231002X" in text and "13812345678" in text
    check(browser, "review-case-revealed")

    # Rejecting needs reasons too.
    decide(browser, "reject")
    browser.click("#decide")
    browser.wait("#f-reasons-error")
    reviewer_reject(browser, fid, "提交的材料与实际情况不符。")
    assert "不予备案" in browser.text("main")
    assert "提交的材料与实际情况不符。" in browser.text("#history")
    assert op.get("/api/v1/filings/%d" % fid).json()["filing"][
        "status"] == "rejected"

    # A filed platform revoked after a confirmation.
    g = filed(op)
    open_case(browser, g["id"])
    browser.click("#revoke-start")
    assert browser.find("#revoke-confirm").is_displayed()
    check(browser, "review-case-revoke-confirm")
    browser.click("#revoke-cancel")
    assert not browser.find("#revoke-confirm").is_displayed()
    supervisor_revoke(browser, g["id"], "平台违规发布未修复漏洞。")
    assert "已撤销" in browser.text("main")
    assert op.get("/api/v1/filings/%d" % g["id"]).json()["filing"][
        "status"] == "revoked"
    check(browser, "review-case-revoked")


def test_a_change_is_listed_and_approved(browser):
    op = apiconf.logged_in("operator")
    f = filed(op)
    r = op.post("/api/v1/filings/%d/changes" % f["id"], json={
        "changed_on": f["filed_on"], "changes": {
            "platform": {"homepage": "https://security.example.com"}}})
    assert r.status_code == 201, r.text
    cid = r.json()["change"]["id"]
    staff_login(browser, staff("reviewer"))
    browser.go("/review")
    card = browser.find("[data-kind='change'][data-filing='%d']" % f["id"])
    assert "变更" in card.text
    open_case(browser, f["id"], cid)
    assert "首页网址" in browser.text("main")
    group = browser.text("#group-platform")
    assert "本次变更" in group and "https://security.example.com" in group
    assert "现为：https://src.example.com" in group
    check(browser, "review-change")
    reviewer_approve(browser, f["id"], cid)
    assert op.get("/api/v1/filings/%d/changes" % f["id"]).json()[
        "changes"][0]["status"] == "approved"


def test_tipoff_taken_answered_and_decided(browser):
    from test_tipoff import PDF, Reporter, report
    rep = Reporter("127.0.%d.%d" % (random.randint(4, 250),
                                    random.randint(2, 250)))
    r = rep.submit(report(description="该平台未经备案收集漏洞" + unique("")))
    assert r.status_code == 201, r.text
    ref, code = r.json()["reference"], r.json()["receipt_code"]
    tid = int(apiconf.sql("SELECT id FROM tipoff WHERE reference = '%s'"
                          % ref)[0][0])
    assert rep.open(code).status_code == 201
    assert rep.req("POST", "/api/v1/tipoffs/mine/evidence?filename=shot.pdf",
                   data=PDF, headers={"Content-Type": "application/pdf"}
                   ).status_code == 201
    staff_login(browser, staff("reviewer"))
    browser.go("/review/tipoffs")
    card = browser.find("[data-tipoff='%d']" % tid)
    assert "新收到" in card.text and "未分配" in card.text
    assert "个工作日内首次答复" in browser.text("#targets")
    check(browser, "review-tipoffs")

    open_tipoff(browser, tid)
    assert ref in browser.text("#case-title")
    assert "未经备案" in browser.text("main")
    assert "shot.pdf" in browser.text("main")
    assert not browser.finds("#message-form")
    check(browser, "review-tipoff")
    tipoff_take(browser)
    tipoff_message(browser, "已受理，我们正在核实。")
    # A message without text: the API's field error beside the box.
    browser.click("#message-form button")
    browser.wait("#f-body-error")
    check(browser, "review-tipoff-errors")
    tipoff_status(browser, "verified")
    assert "属实" in browser.text("main")
    assert browser.finds("#outcome-form")
    check(browser, "review-tipoff-verified")

    assert rep.open(code).status_code == 201
    mine = rep.req("GET", "/api/v1/tipoffs/mine").json()["tipoff"]
    assert mine["status"] == "verified"
    assert [m["body"] for m in mine["messages"]] == ["已受理，我们正在核实。"]


def test_supervisor_notes_links_refers_and_closes_a_duplicate(browser):
    from test_tipoff import Reporter, report
    rep = Reporter("127.0.%d.%d" % (random.randint(4, 250),
                                    random.randint(2, 250)))
    ids = []
    for _ in range(2):
        r = rep.submit(report(description="重复举报测试" + unique("")))
        assert r.status_code == 201, r.text
        ids.append(int(apiconf.sql(
            "SELECT id FROM tipoff WHERE reference = '%s'"
            % r.json()["reference"])[0][0]))
    number = filed(apiconf.logged_in("operator"))["filing_number"]
    staff_login(browser, staff("supervisor"))

    open_tipoff(browser, ids[1])
    tipoff_duplicate(browser, ids[0])
    assert "重复举报" in browser.text("main")
    assert not browser.finds("#status-form")

    open_tipoff(browser, ids[0])
    tipoff_note(browser, "内部：与另一举报为同一平台。")
    browser.fill("#f-filing_number", "VCP-2026-999999-0")
    browser.click("#filing-form button")
    browser.wait("#f-filing_number-error")
    check(browser, "review-tipoff-link-error")
    tipoff_link(browser, number)
    assert number in browser.text("main")
    # A new case is only closed; a decision on it follows taking it.
    assert len(browser.finds("input[name='status']")) == 1
    tipoff_take(browser)
    tipoff_status(browser, "verified")
    tipoff_outcome(browser, "referral", "涉嫌违法，移送公安机关。",
                   ministry="mps")
    assert "移送公安部" in browser.text("main")
    assert "内部：与另一举报为同一平台。" in browser.text("main")
    check(browser, "review-tipoff-outcome")


def test_outbox_retry_for_a_supervisor_only(browser, browser2):
    op = apiconf.logged_in("operator")
    fid = filed(op)["id"]
    nid = int(apiconf.sql(
        "SELECT id FROM notification WHERE subject = 'filing'"
        " AND subject_id = %d AND recipient = 'mps'" % fid)[0][0])
    apiconf.sql("UPDATE notification SET status = 'rejected',"
                " rejected_at = NOW(6), attempts = 3, answer_status = 400,"
                " last_error = 'HTTP 400' WHERE id = %d" % nid)
    staff_login(browser, staff("supervisor"))
    browser.go("/review/outbox")
    row = browser.find("#notification-%d" % nid)
    assert "被拒收" in row.text and "HTTP 400" in row.text
    assert "3" in row.text
    check(browser, "review-outbox")
    outbox_retry(browser, nid)
    assert "待发送" in browser.text("#notification-%d" % nid)
    check(browser, "review-outbox-retried")
    assert apiconf.sql("SELECT status FROM notification WHERE id = %d"
                       % nid) == [["pending"]]

    # A reviewer sees the rows, without a re-send button.
    staff_login(browser2, staff("reviewer"))
    browser2.go("/review/outbox")
    browser2.find("#notification-%d" % nid)
    assert not browser2.finds(".vcp-retry")
    # An operator is refused with the API's 403, said plainly.
    login = apiconf.register()
    browser2.click("#vcp-logout")
    browser2.wait_url(r"/account/login")
    staff_login(browser2, login, landing=r"/operator")
    browser2.go("/review/outbox")
    assert "无权访问" in browser2.text("#denied")
    assert not browser2.finds("#calendar-warning")
    browser2.check("review-outbox-refused")
