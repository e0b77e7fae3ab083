"""Lists the demo's engagements through the client that openapi-python-client
generated from the served OpenAPI document (installed as `embark_api_client`),
one per page so that the cursor is followed too.

    python list_engagements.py BASE_URL TOKEN
"""

import sys

from embark_api_client import AuthenticatedClient
from embark_api_client.api.engagements import list_engagements
from embark_api_client.models import BoardPage
from embark_api_client.types import UNSET

# The demo seeds these two (crates/embark/src/demo.rs).
EXPECTED = {"Directrice financière — Dubois SA", "Arrivée de Zoé Lambert"}


def main() -> int:
    base, token = sys.argv[1:3]
    client = AuthenticatedClient(base_url=base, token=token, raise_on_unexpected_status=True)
    titles = []
    after = UNSET
    for _ in range(20):
        res = list_engagements.sync_detailed(client=client, limit=1, after=after)
        if res.status_code != 200 or not isinstance(res.parsed, BoardPage):
            print(f"GET /api/v1/engagements answered {res.status_code}: {res.content!r}", file=sys.stderr)
            return 1
        titles += [e.title for e in res.parsed.items]
        if not res.parsed.next_:
            break
        after = res.parsed.next_
    missing = EXPECTED - set(titles)
    if missing:
        print(f"the generated client listed {titles}, without {sorted(missing)}", file=sys.stderr)
        return 1
    print(f"the generated client listed {len(titles)} engagement(s), one page each: {', '.join(titles)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
