"""A small admin crawler for the tests: GET each URL once, remember statuses, read forms and links with bs4."""

import json
import re
import time
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

# Never followed: they end the session or only answer POST with side effects.
SKIPPED = re.compile(r"^/admin/(logout/|login/|password_reset/|account/|.*/lock/$|.*/unlock/$|jsi18n/)")
PAGE_LINK = re.compile(r"^/admin/(pages/\d+/[a-z_/.\d-]*|localize/[a-z_/\d-]+|pages/add/[a-z_]+/[a-z_]+/\d+/)$")


def admin_links(html: str, pattern=PAGE_LINK) -> set[str]:
    """The admin URLs an HTML page links to (href, form actions, menu JSON), without query strings."""
    links = set()
    for match in re.finditer(r'(?:href|action|data-[a-z-]*url)="(/admin/[^"#?]*)', html):
        links.add(match.group(1))
    for match in re.finditer(r'"url": ?"(/admin/[^"#?]*)', html.replace("\\/", "/")):
        links.add(match.group(1))
    return {link for link in links if pattern.match(link) and not SKIPPED.match(link)}


def menu_links(html: str) -> set[str]:
    """URLs of the admin sidebar (its props are JSON in the page) and of the dashboard."""
    links = set()
    text = html.replace("&quot;", '"').replace("\\/", "/")
    for match in re.finditer(r'"url": ?"(/admin/[^"#?]*)', text):
        links.add(match.group(1))
    for match in re.finditer(r'href="(/admin/[^"#?]*)"', html):
        links.add(match.group(1))
    return {link for link in links if not SKIPPED.match(link)}


def form_data(html: str, form_id=None) -> dict:
    """The fields of the main form of an admin edit page, as a browser without JavaScript would post them."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id) if form_id else None
    if form is None:
        forms = [f for f in soup.find_all("form") if f.get("method", "").lower() == "post"]
        form = max(forms, key=lambda f: len(f.find_all(["input", "textarea", "select"])))
    data = {}

    def add(name, value):
        if name in data:
            if not isinstance(data[name], list):
                data[name] = [data[name]]
            data[name].append(value)
        else:
            data[name] = value

    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "input":
            kind = field.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            add(name, field.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif field.name == "textarea":
            add(name, field.text)
        else:
            selected = [o for o in field.find_all("option") if o.has_attr("selected")]
            if not selected and not field.has_attr("multiple"):
                selected = field.find_all("option")[:1]
            for option in selected:
                add(name, option.get("value", option.text))
    return data


class Crawler:
    def __init__(self, client):
        self.client = client
        client.raise_request_exception = False  # collect every 5xx, then report them together
        self.statuses = {}
        self.errors = []
        self.timings = []
        self.html = {}  # url -> HTML of the 200 answers, read again without a second request

    def get(self, url):
        if url in self.statuses:
            return None
        started = time.perf_counter()
        response = self.client.get(url)
        self.timings.append((time.perf_counter() - started, url))
        self.statuses[url] = response.status_code
        if response.status_code >= 500:
            self.errors.append((url, response.status_code))
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            self.html[url] = response.content.decode()
        return response

    def post(self, url, data, key=None):
        response = self.client.post(url, data)
        self.statuses[key or f"POST {url}"] = response.status_code
        if response.status_code >= 500:
            self.errors.append((f"POST {url}", response.status_code))
        return response

    def preview(self, edit_url, preview_url, extra=None):
        """Post the edit form to the preview URL, then render the preview like the panel's iframe does."""
        self.get(edit_url)
        html = self.html.get(edit_url)
        if html is None:
            return None
        if 'name="csrfmiddlewaretoken"' not in html or "js-translation-editor" in html:
            return None
        data = form_data(html)
        for name, value in (extra or {}).items():
            data.setdefault(name, value)
        posted = self.post(preview_url, data)
        if posted.status_code != 200:
            return posted
        try:
            valid = json.loads(posted.content).get("is_valid")
        except ValueError:
            valid = None
        rendered = self.client.get(preview_url + "?mode=")
        self.statuses[f"{preview_url} (valid={valid})"] = rendered.status_code
        if rendered.status_code >= 500:
            self.errors.append((preview_url, rendered.status_code))
        return rendered


def path_of(url: str) -> str:
    return urlsplit(url).path
