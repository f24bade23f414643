"""The public's pages: home, the register with its search, a platform's
record (readable without JavaScript), the verify box; and making an
operator account, with the API's field errors shown on the form."""
import re

from conftest import apiconf, unique
from test_filing import good_form


def a_filed(name):
    op = apiconf.logged_in("operator")
    from test_registry import filed_with
    return filed_with(op, good_form(name=name))


def test_home(browser):
    browser.go("/")
    assert "网络产品安全漏洞收集平台备案" in browser.text("h1")
    assert browser.d.execute_script("return document.documentElement.lang") \
        == "zh-CN"
    browser.check("home")


def test_register_search_record_and_verify(browser):
    tag = unique("")
    f = a_filed("星辰漏洞响应平台" + tag)
    number = f["filing_number"]
    browser.go("/register")
    browser.check("register")
    # A Chinese substring of the name finds it.
    browser.fill("#q", "辰漏洞响应平台" + tag)
    browser.click("form[action='/register'] button")
    browser.wait_url(r"/register\?q=")
    rows = browser.finds("table.govuk-table tbody tr")
    assert len(rows) == 1 and number in rows[0].text
    browser.check("register-results")
    browser.click("table.govuk-table tbody a")
    browser.wait_url(re.escape("/register/" + number))
    main = browser.text()
    assert "星辰漏洞响应平台" + tag in main and "已备案" in main
    # Nothing personal on the public record (SPEC §5).
    assert "11010519491231002X" not in browser.d.page_source
    browser.check("record")

    # The verify box: a number on the register goes to its record...
    browser.go("/")
    browser.fill("#verify-number", "  " + number + " ")
    browser.click("form[action='/verify'] button")
    browser.wait_url(re.escape("/register/" + number) + "$")
    # ...one that is not is an error beside the field.
    browser.go("/")
    browser.fill("#verify-number", "VCP-2026-999999-0")
    browser.click("form[action='/verify'] button")
    browser.wait(".govuk-error-summary")
    assert "没有该备案编号" in browser.text("#verify-number-error")
    browser.check("verify-missing")


def test_record_page_reads_without_javascript(nojs_browser):
    f = a_filed("无脚本可读平台" + unique(""))
    nojs_browser.go("/register/" + f["filing_number"])
    assert "无脚本可读平台" in nojs_browser.text("h1")
    assert f["filing_number"] in nojs_browser.text(".govuk-summary-list")
    # The search works as a plain form too.
    nojs_browser.fill("#verify-number", f["filing_number"])
    nojs_browser.click("form[action='/verify'] button")
    nojs_browser.wait_url(re.escape("/register/" + f["filing_number"]))


def test_record_page_escapes_what_operators_typed(browser):
    f = a_filed("<script>alert(1)</script>平台" + unique(""))
    browser.go("/register/" + f["filing_number"])
    assert "<script>alert(1)</script>平台" in browser.text("h1")
    assert not browser.finds("main script")


def test_operator_account_with_field_errors(browser):
    browser.go("/account/register")
    browser.check("account-register")
    login = unique("op")
    browser.fill("#f-login", login)
    browser.fill("#f-name", "浏览器测试科技有限公司")
    browser.fill("#f-password", "short")
    browser.fill("#f-password2", "short")
    browser.click("#register-form button")
    summary = browser.wait(".govuk-error-summary")
    assert browser.d.switch_to.active_element == summary
    assert "密码" in summary.text
    assert browser.find("#f-password-error").is_displayed()
    browser.check("account-register-errors")
    browser.fill("#f-password", apiconf.STRONG)
    browser.fill("#f-password2", apiconf.STRONG)
    browser.click("#register-form button")
    browser.wait_url(r"/operator$")
    browser.wait_text("#vcp-whoami", login)
    # Out, and back in through the login page.
    browser.click("#vcp-logout")
    browser.wait_url(r"/account/login")
    browser.check("account-login")
    browser.fill("#f-login", login)
    browser.fill("#f-password", "wrong-" + apiconf.STRONG)
    browser.click("#login-form button")
    browser.wait(".govuk-error-summary")
    browser.fill("#f-password", apiconf.STRONG)
    browser.click("#login-form button")
    browser.wait_url(r"/operator$")


def test_keyboard_alone(browser):
    """Skip link, the register's search and the login form, with keys
    only: every control is reachable and works without a pointer."""
    from selenium.webdriver.common.keys import Keys
    f = a_filed("键盘检索平台" + unique(""))
    browser.go("/register")
    body = browser.find("body")
    body.send_keys(Keys.TAB)
    active = browser.d.switch_to.active_element
    assert active.get_attribute("class") == "govuk-skip-link"
    active.send_keys(Keys.ENTER)
    # From the main content, Tab reaches the search field.
    for _ in range(10):
        browser.d.switch_to.active_element.send_keys(Keys.TAB)
        if browser.d.switch_to.active_element.get_attribute("id") == "q":
            break
    active = browser.d.switch_to.active_element
    assert active.get_attribute("id") == "q"
    active.send_keys(f["filing_number"], Keys.ENTER)
    browser.wait_url(r"/register\?q=")
    assert f["filing_number"] in browser.text("table.govuk-table")

    login = apiconf.register()
    browser.go("/account/login")
    browser.find("#f-login").send_keys(login, Keys.TAB)
    active = browser.d.switch_to.active_element
    assert active.get_attribute("id") == "f-password"
    active.send_keys(apiconf.STRONG, Keys.ENTER)
    browser.wait_url(r"/operator$")
