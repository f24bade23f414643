"""The operators' pages: filing step by step with the API's field errors
beside the fields, attachments, submission with its receipt; a reviewer's
correction shown beside the fields it names; the filed platform's badge
followed by the public; a late change and a deregistration."""
import re

from conftest import apiconf, unique
from flows_review import (reviewer_approve, reviewer_request_correction,
                          staff_login)
from flows_operator import (api_as, copy_badge, deregister, field_id,
                            fill_filing, fill_step, go_check, open_step,
                            operator_login, operator_register,
                            request_change, save_and_continue, start_filing,
                            submit, upload, wait_step)
from test_filing import filed, good_form, submitted


def summary_links(browser):
    s = browser.wait(".govuk-error-summary")
    assert browser.d.switch_to.active_element == s
    return s, browser.finds(".govuk-error-summary a")


def test_operator_files_step_by_step(browser):
    login = operator_register(browser)
    browser.wait("#new-filing")
    assert "还没有备案申请" in browser.text()
    browser.check("operator-home-empty")
    fid = start_filing(browser)
    browser.check("filing-tasks")

    form = good_form(name="晨星漏洞收集平台" + unique(""))
    form["platform"]["publish_urls"].append("https://src.example.com/news")
    form["sponsor"] = {"name": "晨星网络科技有限公司", "type": "enterprise",
                       "id_number": "914403001922038216"}
    # One wrong identifier: the ICP number's digits are too few.
    bad = dict(form, platform=dict(form["platform"], icp="京ICP备123号"))
    open_step(browser, "platform")
    browser.check("filing-platform")
    fill_step(browser, "platform", bad)
    save_and_continue(browser, "platform")
    s, links = summary_links(browser)
    assert "ICP" in s.text
    assert browser.find("#f-platform-icp-error").is_displayed()
    assert browser.find("section[data-step='platform']").is_displayed()
    browser.check("filing-platform-errors")
    links[0].click()
    assert browser.d.switch_to.active_element.get_attribute("id") == \
        "f-platform-icp"
    browser.fill("#f-platform-icp", form["platform"]["icp"])
    save_and_continue(browser, "platform")
    wait_step(browser, "sponsor")
    assert not browser.finds(".govuk-error-summary")
    # Lists grow and shrink, and their ids follow.
    open_step(browser, "platform")
    rows = "[data-list='platform.publish_urls'] .vcp-row"
    browser.click("#f-platform-publish_urls-add")
    assert len(browser.finds(rows)) == 3
    assert browser.d.switch_to.active_element.get_attribute("id") == \
        "f-platform-publish_urls-2"
    browser.click(rows + ":nth-child(2) .vcp-row__remove")
    assert len(browser.finds(rows)) == 2
    assert browser.find("#f-platform-publish_urls-1").get_attribute(
        "value") == ""
    browser.fill("#f-platform-publish_urls-1",
                 form["platform"]["publish_urls"][1])
    save_and_continue(browser, "platform")
    wait_step(browser, "sponsor")

    # Another device saves meanwhile: this page's version is stale, and
    # saving says so instead of overwriting.
    other = api_as(login)
    cur = other.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert cur["form"]["platform"]["publish_urls"] == \
        form["platform"]["publish_urls"]
    assert other.put("/api/v1/filings/%d" % fid, json={
        "version": cur["version"], "form": cur["form"]}).status_code == 200
    fill_step(browser, "sponsor", form)
    browser.click("section[data-step='sponsor'] .govuk-button--secondary")
    s = browser.wait(".govuk-error-summary")
    assert "另一个窗口或设备" in s.text
    browser.check("filing-stale")
    browser.go("/operator/filings/%d?step=sponsor" % fid)
    wait_step(browser, "sponsor")

    fill_filing(browser, form, keys=("sponsor", "people", "rules", "mlps",
                                     "management"))
    browser.check("filing-attachments-empty")
    go_check(browser)
    browser.check("filing-check")
    # Submitting without the files: each missing one is named, and its
    # link leads to the attachments step and the file's control.
    browser.click("#submit-filing")
    s, links = summary_links(browser)
    assert "网络安全等级保护备案证明" in s.text and "承诺书" in s.text
    browser.check("filing-submit-errors")
    links[0].click()
    wait_step(browser, "attachments")
    assert browser.d.switch_to.active_element.get_attribute("id") == \
        field_id("attachments.mlps_certificate")
    assert browser.find("#f-attachments-mlps_certificate-error").is_displayed()
    upload(browser, "mlps_certificate", name="等保备案证明.pdf")
    upload(browser, "commitment_letter", name="承诺书.pdf")
    upload(browser, "other", name="多余的.pdf")
    browser.check("filing-attachments")
    # A file uploaded by mistake is deleted while the form is editable.
    browser.click("#f-attachments-other-files .vcp-delete")
    browser.wait_text("#f-attachments-other-status", "已删除")
    assert not browser.finds("#f-attachments-other-files .govuk-summary-card")

    go_check(browser)
    assert "等保备案证明.pdf" in browser.text("section[data-step='check']")
    receipt = submit(browser)
    f = other.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert f["status"] == "submitted"
    assert f["receipt_date"] in receipt.text and f["deadline"] in receipt.text
    browser.check("filing-submitted")
    browser.go("/operator")
    card = browser.find(".vcp-filing[data-id='%d']" % fid)
    assert "审核中" in card.text and f["deadline"] in card.text
    browser.check("operator-home")


def test_correction_then_badge_followed_by_the_public(browser, browser2,
                                                      browser3):
    """The whole journey, each person in a browser of their own: a
    reviewer asks for a correction with two items picked in the case
    page; the operator sees them beside the fields, corrects and
    resubmits; the reviewer approves; the operator copies the badge; the
    public follows its link and finds the platform by a Chinese part of
    its name."""
    login = apiconf.register()
    op = api_as(login)
    name = "北斗漏洞响应平台" + unique("")
    f = submitted(op, good_form(name=name))
    fid = f["id"]
    reviewer = browser2
    staff_login(reviewer, apiconf.make_account("reviewer"))
    reviewer_request_correction(reviewer, fid, [
        ("platform.publish_urls[0]", "该网址无法访问，请核实"),
        ("mlps.certificate_number", "编号与等保备案证明不一致")])

    operator_login(browser, login)
    card = browser.find(".vcp-filing[data-id='%d']" % fid)
    assert "需要补正" in card.text
    browser.check("operator-home-correction")
    browser.go("/operator/filings/%d" % fid)
    items = browser.finds("#correction-items li")
    assert len(items) == 2 and "该网址无法访问" in items[0].text
    browser.check("filing-correction")
    # Each item leads to its step, where the problem is beside the field.
    browser.click("#correction-items li:nth-child(1) a")
    wait_step(browser, "platform")
    assert "该网址无法访问" in browser.text(
        "#f-platform-publish_urls-0-problem")
    assert browser.d.switch_to.active_element.get_attribute("id") == \
        "f-platform-publish_urls-0"
    browser.check("filing-correction-platform")
    browser.fill("#f-platform-publish_urls-0", "https://src.example.com/vul")
    save_and_continue(browser, "platform")
    wait_step(browser, "sponsor")
    browser.click("#correction-items li:nth-child(2) a")
    wait_step(browser, "mlps")
    assert "编号与等保备案证明不一致" in browser.text(
        "#f-mlps-certificate_number-problem")
    browser.fill("#f-mlps-certificate_number", "11010199001-00002")
    save_and_continue(browser, "mlps")
    wait_step(browser, "management")
    browser.go("/operator/filings/%d?step=check" % fid)
    browser.wait("#submit-filing")
    receipt = submit(browser)
    assert "已重新提交" in receipt.text
    f = op.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert f["receipts"] == 2
    assert f["form"]["platform"]["publish_urls"][0] == \
        "https://src.example.com/vul"
    assert f["form"]["mlps"]["certificate_number"] == "11010199001-00002"

    banner = reviewer_approve(reviewer, fid)
    number = op.get("/api/v1/filings/%d" % fid).json()["filing"][
        "filing_number"]
    assert number and number in banner
    browser.go("/operator/filings/%d" % fid)
    assert browser.text("#filing-number") == number
    snippet = copy_badge(browser)
    assert number in snippet
    browser.check("filing-filed")

    # The public follows the badge's link to the record page...
    public = browser3
    href = re.search(r'href="([^"]+)"', snippet).group(1)
    assert href.endswith("/register/" + number)
    public.d.get(href)
    public.ready()
    assert name in public.text("h1")
    # ...and finds the platform in the register by part of its name.
    public.go("/register")
    public.fill("#q", name[2:])
    public.click("form[action='/register'] button")
    public.wait_url(r"/register\?q=")
    rows = public.finds("table.govuk-table tbody tr")
    assert len(rows) == 1 and number in rows[0].text


def test_late_change_and_deregistration(browser):
    login = apiconf.register()
    op = api_as(login)
    f = filed(op)
    fid = f["id"]
    operator_login(browser, login)
    browser.go("/operator/filings/%d" % fid)
    browser.click("#start-change")
    browser.wait_url(r"/change$")
    browser.check("change-form")
    # Changed long ago: the due date is past and the page warns.
    request_change(browser, fid, ["platform"],
                   {"platform.homepage": "https://security.example.com"},
                   "2025-09-05")
    assert "2025-10-09" in browser.text("#change-due")
    assert "已超过报送期限" in browser.text("#change-due")
    browser.check("change-late-warning")
    browser.click("#change-continue")
    browser.wait("#send-change")
    assert "逾期报送" in browser.text()
    browser.check("change-confirm")
    browser.click("#send-change")
    done = browser.wait("#done")
    assert "变更已报送" in done.text
    browser.check("change-sent")
    ch = op.get("/api/v1/filings/%d/changes" % fid).json()["changes"][0]
    assert ch["late"] is True and ch["fields"] == ["platform.homepage"]
    assert ch["due_on"] == "2025-10-09"
    # Sent back for correction: the same page edits the change again.
    r = apiconf.logged_in("reviewer").post(
        "/api/v1/filings/%d/changes/%d/decision" % (fid, ch["id"]),
        json={"decision": "correct", "items": [
            {"field": "platform.homepage", "problem": "网址应使用 HTTPS 的正式域名"}]})
    assert r.status_code == 200, r.text
    browser.go("/operator/filings/%d/change" % fid)
    assert "网址应使用 HTTPS 的正式域名" in browser.text()
    assert browser.find("#f-changes").is_selected()
    # The item beside its field, which holds what the change sent.
    assert "网址应使用 HTTPS 的正式域名" in browser.text(
        "#f-platform-homepage-problem")
    assert browser.find("#f-platform-homepage").get_attribute("value") == \
        "https://security.example.com"
    browser.check("change-correction")
    browser.fill("#f-platform-homepage", "https://vuln.example.com")
    browser.click("#change-continue")
    browser.click("#send-change")
    assert "变更已报送" in browser.wait("#done").text
    ch = op.get("/api/v1/filings/%d/changes" % fid).json()["changes"][0]
    assert ch["receipts"] == 2 and ch["status"] == "submitted"
    assert ch["fields"] == ["platform.homepage"]

    deregister(browser, fid, "2999-01-01")
    browser.wait(".govuk-error-summary")
    assert browser.find("#f-ended_on-error").is_displayed()
    browser.check("deregister-error")
    browser.fill("#f-ended_on", "2025-06-30")
    browser.click("#deregister-continue")
    browser.wait("#confirm-deregister")
    assert "不能撤回" in browser.text()
    browser.check("deregister-confirm")
    # Nothing happens before the confirmation.
    assert op.get("/api/v1/filings/%d" % fid).json()["filing"][
        "status"] == "filed"
    browser.click("#confirm-deregister")
    assert "备案已注销" in browser.wait("#done").text
    browser.check("deregistered")
    f = op.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert f["status"] == "deregistered" and f["ended_on"] == "2025-06-30"
    browser.go("/operator/filings/%d" % fid)
    assert "已注销" in browser.text()
    browser.check("filing-deregistered")
