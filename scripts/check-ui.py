"""The capture inspector in a real browser (scripts/check-ui.sh runs it).

Headless Chromium, driven by WebDriver (Selenium and Debian's
chromium-driver), against `indicative serve` on loopback: the page loads,
requests of every verdict appear without a reload (and every request of
a burst from 8 threads), the filters narrow the
list and live in the URL, a detail opens with its finding highlighted in
the body, axe-core finds no serious or critical violation, and a reset
empties the list. Screenshots of the list and the detail go to
target/ui-screenshots/.

With a fourth argument, the server was started with `--admin-token` that
token: the page loads and asks for it, refuses a wrong one, and with the
right one shows the capture live, downloads the HAR, and keeps the token
over a reload.
"""
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, AXE, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
TOKEN = sys.argv[4] if len(sys.argv) > 4 else None
KEY = "Your-API-Key"
DOWNLOADS = os.path.join(SHOTS, "downloads")
os.makedirs(DOWNLOADS, exist_ok=True)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
    options.add_argument(flag)
options.add_experimental_option("prefs", {"download.default_directory": DOWNLOADS, "download.prompt_for_download": False})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": DOWNLOADS})
wait = WebDriverWait(driver, 30)


def rows():
    return driver.find_elements(By.CSS_SELECTOR, "#requests tbody tr")


def axe(label):
    driver.execute_script(open(AXE, encoding="utf-8").read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then((r) => done(JSON.stringify(r.violations)));"
    )
    violations = [v for v in json.loads(result) if v["impact"] in ("serious", "critical")]
    assert not violations, f"{label}: " + json.dumps([(v["id"], v["help"], len(v["nodes"])) for v in violations])
    print(f"axe-core, {label}: no serious or critical violation")


def with_token():
    """The page of a server started with --admin-token."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    driver.get(f"{BASE}/_contract/ui")
    dialog = wait.until(EC.visibility_of_element_located((By.ID, "token-dialog")))
    assert not driver.find_element(By.ID, "token-refused").is_displayed()
    axe("the token dialog")
    field = dialog.find_element(By.NAME, "token")
    # Escape closes the dialog (or not): it is there again, as the page needs the token.
    field.send_keys(Keys.ESCAPE)
    time.sleep(0.5)
    wait.until(EC.visibility_of_element_located((By.ID, "token-dialog")))
    # A token no header can carry is refused before it is kept.
    field.send_keys("tökén")
    driver.find_element(By.ID, "token-use").click()
    time.sleep(0.3)
    assert dialog.is_displayed()
    assert driver.execute_script("return sessionStorage.getItem('indicative-serve-admin-token')") is None
    field.clear()
    field.send_keys("not-the-token")
    driver.find_element(By.ID, "token-use").click()
    wait.until(EC.visibility_of_element_located((By.ID, "token-refused")))
    assert dialog.is_displayed(), "a wrong token is refused, and asked again"
    field.send_keys(TOKEN)
    driver.find_element(By.ID, "token-use").click()
    wait.until(EC.invisibility_of_element_located((By.ID, "token-dialog")))
    event = {"apiKey": KEY, "eventName": "Log Out", "eventUniqueId": "user47"}
    assert requests.post(f"{BASE}/service/event", json=event).status_code == 200
    wait.until(lambda d: len(rows()) == 1)
    print("token: asked for again after Escape, one no header can carry and a wrong one refused, "
          "the right one taken: a request appeared live")

    for name in os.listdir(DOWNLOADS):
        os.remove(os.path.join(DOWNLOADS, name))
    driver.find_element(By.ID, "download-har").click()
    path = os.path.join(DOWNLOADS, "capture.har")
    wait.until(lambda d: os.path.exists(path) and os.path.getsize(path) > 0)
    har = json.load(open(path, encoding="utf-8"))
    expected = requests.get(f"{BASE}/_contract/export?format=har", headers=auth).json()
    assert len(har["log"]["entries"]) == 1 and har == expected, "the downloaded HAR is the capture's"
    assert KEY not in json.dumps(har) and TOKEN not in json.dumps(har)
    driver.find_element(By.ID, "download-ndjson").click()
    path = os.path.join(DOWNLOADS, "capture.ndjson")
    wait.until(lambda d: os.path.exists(path) and os.path.getsize(path) > 0)
    assert open(path, encoding="utf-8").read() == requests.get(f"{BASE}/_contract/export?format=ndjson", headers=auth).text
    print("download: the HAR and the NDJSON, fetched with the token")

    driver.refresh()
    wait.until(lambda d: len(rows()) == 1)
    assert not driver.find_element(By.ID, "token-dialog").is_displayed()
    print("reload: the token is kept for the tab")


def without_token():
    driver.get(f"{BASE}/_contract/ui")
    wait.until(EC.text_to_be_present_in_element((By.ID, "live"), "live"))
    assert rows() == [], "the capture starts empty"
    assert "Sign Up" in driver.find_element(By.ID, "unseen").text, "planned events not yet seen are listed"

    # One request of each verdict, sent while the page is open.
    good = {"apiKey": KEY, "eventName": "Log Out", "eventUniqueId": "user47"}
    warned = {"apiKey": KEY, "eventName": "Log In", "eventUniqueId": "user47", "properties": {"method": "email", "colour": "red"}}
    bad = {"apiKey": KEY, "events": [{"eventName": "Log Out", "eventUniqueId": "u"}, {"eventName": "", "eventUniqueId": "u"}]}
    assert requests.post(f"{BASE}/service/event", json=good).status_code == 200
    assert requests.post(f"{BASE}/service/event", json=warned).status_code == 200
    assert requests.post(f"{BASE}/service/event/batch", json=bad).status_code == 422
    wait.until(lambda d: len(rows()) == 3)
    verdicts = [row.find_element(By.CSS_SELECTOR, ".verdict").text for row in rows()]
    assert verdicts == ["bad", "warned", "good"], verdicts
    print("live: 3 requests appeared without a reload, newest first:", verdicts)
    driver.save_screenshot(os.path.join(SHOTS, "list.png"))
    axe("the list")

    # A filter narrows the list, and lives in the URL.
    Select(driver.find_element(By.NAME, "verdict")).select_by_value("bad")
    wait.until(lambda d: "verdict=bad" in d.current_url and len(rows()) == 1)
    search = driver.find_element(By.NAME, "q")
    search.send_keys("colour")
    wait.until(lambda d: "q=colour" in d.current_url and len(rows()) == 0)
    driver.get(driver.current_url)  # a shared link opens the same view
    wait.until(EC.text_to_be_present_in_element((By.ID, "live"), "live"))
    assert driver.find_element(By.NAME, "q").get_attribute("value") == "colour"
    driver.find_element(By.ID, "clear-filters").click()
    wait.until(lambda d: len(rows()) == 3 and "verdict" not in d.current_url)
    print("filters: verdict and search narrow the list and are kept in the URL")

    # The detail of the rejected batch: its finding, highlighted in the body.
    rows()[0].find_element(By.CSS_SELECTOR, "button").click()
    mark = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#detail mark.finding")))
    assert mark.text == '""', mark.text
    detail = driver.find_element(By.ID, "detail").text
    assert "empty-field" in detail and "/events/1/eventName" in detail, detail
    assert KEY not in detail, "keys are masked"
    assert "seq=" in driver.current_url
    driver.save_screenshot(os.path.join(SHOTS, "detail.png"))
    axe("the detail")
    print("detail: the finding is listed and highlighted in the pretty-printed body")

    # Reset, confirmed in the dialog.
    driver.find_element(By.ID, "reset").click()
    wait.until(EC.visibility_of_element_located((By.ID, "reset-confirm"))).click()
    wait.until(lambda d: len(rows()) == 0)
    assert requests.get(f"{BASE}/_contract/summary").json()["requests"] == 0
    print("reset: confirmed, and the list is empty")

    # A burst, sent from 8 threads while the page is live: every request
    # appears (the page once lost those captured between two of its calls).
    with ThreadPoolExecutor(8) as pool:
        sent = list(pool.map(lambda i: requests.post(f"{BASE}/service/event", json=good).status_code, range(60)))
    assert sent == [200] * 60
    wait.until(lambda d: len(rows()) == 60)
    print("burst: 60 requests from 8 threads, every one listed live")

    # 150 more, maybe more than a page between two polls: each is listed
    # live, or a "Load older" away (the page once skipped what came in
    # beyond a page).
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: requests.post(f"{BASE}/service/event", json=good), range(150)))
    older = lambda: driver.find_element(By.ID, "older")
    wait.until(lambda d: len(rows()) == 210 or older().is_displayed())
    while older().is_displayed():
        shown = len(rows())
        older().click()
        wait.until(lambda d: len(rows()) > shown)
    wait.until(lambda d: len(rows()) == 210)
    print("burst: 150 more, every one listed live or a click away")
    assert requests.post(f"{BASE}/_contract/reset").status_code == 200

    # Scale: 100,000 captured requests (sent by oha). The page shows the
    # newest 100 and pages further on demand: the server never sends the
    # whole capture.
    subprocess.run(["oha", "--no-tui", "-n", "100000", "-c", "32", "-m", "POST", "-H", "Content-Type: application/json",
                    "-d", json.dumps(good), f"{BASE}/service/event"], check=True, stdout=subprocess.DEVNULL)
    assert requests.get(f"{BASE}/_contract/summary").json()["requests"] == 100000
    started = time.monotonic()
    driver.get(f"{BASE}/_contract/ui")
    wait.until(lambda d: len(rows()) == 100)
    loaded = time.monotonic() - started
    assert driver.find_element(By.ID, "older").is_displayed()
    driver.find_element(By.ID, "older").click()
    wait.until(lambda d: len(rows()) == 200)
    started = time.monotonic()
    search = driver.find_element(By.NAME, "q")
    search.send_keys("nothing like it")
    wait.until(lambda d: len(rows()) == 0)
    filtered = time.monotonic() - started
    print(f"scale: 100,000 captured; the page showed the newest 100 in {loaded:.2f} s, paged to 200, "
          f"and a search over all of them answered in {filtered:.2f} s (250 ms of it the typing pause)")


try:
    with_token() if TOKEN else without_token()
finally:
    driver.quit()
