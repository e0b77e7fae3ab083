"""Prints a personal API token for a staff user, obtained the way a person gets one:
sign in through the login form, then create a token on the account page.

    python token.py BASE_URL EMAIL PASSWORD
"""

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> int:
    base, email, password = sys.argv[1:4]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

    def post(path: str, fields: dict) -> tuple[int, str]:
        csrf = next((c.value for c in jar if c.name == "embark_csrf"), None)
        if csrf is None:
            raise SystemExit("no CSRF cookie after GET /login")
        body = urllib.parse.urlencode({"_csrf": csrf, **fields}).encode()
        req = urllib.request.Request(base + path, data=body, method="POST")
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with opener.open(req) as res:
                return res.status, res.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    with opener.open(base + "/login") as res:
        res.read()
    status, page = post("/login", {"email": email, "password": password, "next": "/account"})
    if status != 303 and status != 302:
        raise SystemExit(f"sign-in as {email} answered {status}, not a redirect")
    if not any(c.name == "embark_session" for c in jar):
        raise SystemExit(f"sign-in as {email} set no session cookie")
    status, page = post("/account/tokens", {"name": "API contract"})
    if status != 201:
        raise SystemExit(f"POST /account/tokens answered {status}")
    found = re.search(r'<code id="new-token">([^<]+)</code>', page)
    if not found:
        raise SystemExit("the account page shows no new token")
    print(found.group(1).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
