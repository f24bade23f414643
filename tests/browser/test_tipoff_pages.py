"""The public's tip-off pages (issue 11): the form with its proof of work
solved in the browser, the receipt code shown once with its "saved?"
confirmation, the signed acknowledgement downloaded, and the follow-up
page where the reporter reads a reviewer's answer, replies and adds
evidence.

(Named apart from tests/api/test_tipoff.py, whose helpers it imports:
both directories are on sys.path in this run.)"""
import hashlib
import os
import tempfile

from conftest import apiconf, unique
from flows_tipoff import (allow_downloads, clear_rate_limits, confirm_saved,
                          downloaded, fill_tipoff, follow_up, hold_proof,
                          receipt, release_proof, reporter_add_evidence,
                          reporter_logout, reporter_reply, reviewer_answers,
                          send_tipoff, tipoff_id, wait_proof_held)
from test_tipoff import PNG, certificate, xmlsec_verify


def watch_submission(browser):
    """Records, as it happens, whether the submit button was disabled
    and what the progress line said (it may all be over in a moment)."""
    browser.d.execute_script("""
        const seen = window.vcpSeen = {disabled: false, said: []};
        const button = document.getElementById('tipoff-submit');
        const text = document.getElementById('pow-text');
        new MutationObserver(() => {
            seen.disabled = seen.disabled || button.disabled;
        }).observe(button, {attributes: true});
        new MutationObserver(() => {
            if (text.textContent)
                seen.said.push(text.textContent);
        }).observe(text, {childList: true, characterData: true,
                          subtree: true});
    """)


def test_anonymous_tipoff_followed_up_and_answered(browser, browser2):
    tag = unique("")
    clear_rate_limits()
    browser.go("/tipoff")
    browser.check("tipoff-form")

    # A URL that is not one: the API's field error, beside the field.
    fill_tipoff(browser, name="未备案平台" + tag, url="vulns.example.cn",
                description="该平台未经备案即收集漏洞。" + tag,
                contact={"phone": "13800138000"})
    # While the proof is worked out: the progress shown, no second send.
    hold_proof(browser)
    browser.click("#tipoff-submit")
    wait_proof_held(browser)
    assert not browser.find("#tipoff-submit").is_enabled()
    assert "防滥用计算" in browser.text("#pow-text")
    browser.check("tipoff-form-working")
    release_proof(browser)
    browser.wait(".govuk-error-summary")
    browser.wait(".govuk-error-summary")
    assert browser.finds("#f-platform-url-error")
    assert browser.find(".govuk-error-summary a").get_attribute(
        "href").endswith("#f-platform-url")
    assert browser.find("#tipoff-submit").is_enabled()
    browser.check("tipoff-form-errors")

    # Corrected, it goes (the same proof: a 422 does not spend it).
    browser.fill("#f-platform-url", "https://v%s.example.cn/" % tag)
    watch_submission(browser)
    send_tipoff(browser)
    got = receipt(browser)
    seen = browser.d.execute_script("return window.vcpSeen")
    assert seen["disabled"], "the button stays usable while sending"
    assert "计算完成，正在提交举报……" in seen["said"]
    code, ref = got["code"], got["reference"]
    assert len(code) == 16 and code.isdigit()
    assert ref.startswith("TO-")
    assert tipoff_id(ref) > 0
    browser.check("tipoff-receipt")
    # Copied, or (no clipboard here) selected for the reporter to copy.
    browser.click("#copy-code")
    browser.wait_text("#copy-status", "受理码")

    # Leaving without ticking "saved" is refused beside the checkbox.
    browser.click("#saved-continue")
    browser.wait("#f-saved-error")
    assert "/tipoff/follow" not in browser.d.current_url
    browser.check("tipoff-receipt-unconfirmed")

    # The acknowledgement: the portal's signed XML, without the code.
    with tempfile.TemporaryDirectory() as tmp:
        allow_downloads(browser, tmp)
        browser.click("#ack-download")
        xml = downloaded(tmp, "acknowledgement-%s.xml" % ref)
        assert ref.encode() in xml and code.encode() not in xml
        assert xmlsec_verify(xml, certificate(tmp)) == 0

    confirm_saved(browser)
    browser.check("tipoff-follow")

    # Another browser, the code alone: no answer yet.
    follow_up(browser2, code)
    assert ref in browser2.text("#case-title")
    assert "已收到" in browser2.text("#case-summary")
    assert "还没有消息" in browser2.text("#case-messages")
    browser2.check("tipoff-case-new")

    # A reviewer takes it and answers; the reporter reads the answer.
    rev = reviewer_answers(ref, "已受理，我们正在核实。\n请补充平台页面截图。")
    browser2.go("/tipoff/follow")
    browser2.wait("#follow-step-case")
    assert "正在核实" in browser2.text("#case-summary")
    assert "请补充平台页面截图。" in browser2.text("#case-messages")
    assert "监管部门的答复" in browser2.text("#case-messages")

    # An empty reply is refused beside the field.
    browser2.click("#reply-form button")
    browser2.wait("#f-body-error")
    browser2.check("tipoff-case-reply-empty")
    reporter_reply(browser2, "截图见附件。" + tag)
    bodies = [e.text for e in browser2.finds(".vcp-message .vcp-pre")]
    assert bodies == ["已受理，我们正在核实。\n请补充平台页面截图。",
                      "截图见附件。" + tag]

    with tempfile.TemporaryDirectory() as tmp:
        # Not a PDF, PNG or JPEG: refused beside the field.
        path = os.path.join(tmp, "说明.txt")
        with open(path, "wb") as f:
            f.write("说明".encode())
        browser2.find("#f-file").send_keys(path)
        browser2.click("#upload-button")
        browser2.wait("#f-file-error")
        assert "PDF" in browser2.text("#f-file-error")
        browser2.check("tipoff-case-evidence-refused")
        path = os.path.join(tmp, "平台截图.png")
        with open(path, "wb") as f:
            f.write(PNG)
        reporter_add_evidence(browser2, path)
    evidence = browser2.text("#case-evidence")
    assert "平台截图.png" in evidence and "PNG 图片" in evidence
    assert hashlib.sha256(PNG).hexdigest() in evidence
    assert "一致" in evidence
    browser2.check("tipoff-case-answered")

    # What the regulator sees is what was sent.
    case = rev.get(
        "/api/v1/review/tipoffs/%d" % tipoff_id(ref)).json()["tipoff"]
    assert [m["author"] for m in case["messages"]] == ["regulator",
                                                      "reporter"]
    assert [e["filename"] for e in case["evidence"]] == ["平台截图.png"]

    # The acknowledgement again, through the reporter's session.
    with tempfile.TemporaryDirectory() as tmp:
        allow_downloads(browser2, tmp)
        browser2.click("#ack-button")
        xml = downloaded(tmp, "acknowledgement-%s.xml" % ref)
        assert xmlsec_verify(xml, certificate(tmp)) == 0

    reporter_logout(browser2)
    assert "已退出" in browser2.text(".vcp-banner")
    browser2.check("tipoff-follow-logged-out")


def test_wrong_code_is_an_error_beside_the_field(browser):
    clear_rate_limits()
    browser.go("/tipoff/follow")
    browser.fill("#f-code", "0000 0000 0000 0000")
    browser.click("#code-form button")
    browser.wait("#f-code-error")
    assert "受理码不正确" in browser.text("#f-code-error")
    assert browser.finds("#follow-step-case.vcp-hidden")
    browser.check("tipoff-follow-wrong-code")

    # Past the limit of wrong codes from this address (the tests' 6),
    # the page says to wait, not that the code is wrong.
    guesser = apiconf.Client()
    for _ in range(6):
        r = guesser.post("/api/v1/tipoffs/session",
                         json={"code": "1111222233334444"})
        if r.status_code == 429:
            break
    browser.fill("#f-code", "1111222233334444")
    browser.click("#code-form button")
    browser.wait_text("#f-code-error", "尝试次数过多")
    assert "分钟后再试" in browser.text("#f-code-error")
    browser.check("tipoff-follow-too-many")
    clear_rate_limits()


def test_without_javascript_the_forms_say_so(nojs_browser):
    """Without the script the proof of work cannot run, and a plain form
    would put what was typed in the address: the forms stay hidden."""
    for path, form in (("/tipoff", "#tipoff-form"),
                       ("/tipoff/follow", "#code-form")):
        nojs_browser.go(path)
        assert not nojs_browser.find(form).is_displayed()
        assert "JavaScript" in nojs_browser.text()
