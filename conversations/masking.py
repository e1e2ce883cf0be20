"""Contact details typed into a message are hidden from the other side until the two have agreed to
talk (agreements.py), as the contact card is. The body is stored as written; every output on the
site (API, pages, the conversation list's previews) words it through `body_shown`, so agreeing later
shows everything that was written. Notifications and their e-mails are the exception: their preview
is a copy sent away that cannot be taken back, so it is always `contact_masked`
(services._notify), before and after agreement.

What counts as contact details, narrowly (a price, an order number, a date or a sentence that merely
names WeChat must stay readable):
- a mainland mobile number: 1[3-9] and 9 more digits, as 11 digits or grouped 3-4-4 with spaces or
  dashes, optionally after +86 / 86; not inside a longer run of digits or letters (an order number);
- a landline with its area code and a separator: 0571-8512 3456, (0579) 85123456;
- a WeChat ID after 微信 / 微信号 / VX / WX / weixin / wechat (and a colon or a space): 6-20 letters,
  digits, _ or -, starting with a letter, as WeChat allows — but not an ordinary English word
  ("my wechat account", "微信号 please"): those are sentences about WeChat, not an ID;
- a QQ number after QQ / 扣扣 (5-11 digits, not starting with 0);
- an e-mail address;
- a web address (http://, https:// or www.): a shop or a profile page reaches the person as well.
"""

import re

from django.utils.translation import gettext as _

_PHONE = re.compile(r"(?<![A-Za-z0-9])(?:\+?86[ -]?)?1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4})(?![A-Za-z0-9])")
# A separator is required: a bare run of 11-12 digits starting with 0 is as likely an order number.
_LANDLINE = re.compile(r"(?<![A-Za-z0-9-])(?:0\d{2,3}-|\(0\d{2,3}\) ?)\d{3,4}[ -]?\d{4}(?![A-Za-z0-9-])")
_WECHAT = re.compile(
    r"(?P<label>(?:微信号?|(?<![A-Za-z])(?:vx|wx|weixin|wechat)(?:\s*(?:id|account|number))?)\s*(?:号)?\s*[:：]?\s*)"
    r"(?P<id>(?<![A-Za-z0-9])[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
_QQ = re.compile(
    r"(?P<label>(?:(?<![A-Za-z])qq|扣扣)\s*(?:号|号码|number|no\.?)?\s*[:：]?\s*)(?P<id>[1-9]\d{4,10})(?!\d)",
    re.IGNORECASE,
)
_URL = re.compile(r"(?<![A-Za-z0-9])(?:https?://|www\.)[^\s<>\"'，。！？；、）】]+", re.IGNORECASE)
# A match starts only where a run of address characters starts (the lookbehind), so a long run
# without "@" is scanned once, not once per position: 4,000 letters took 40 ms, now well under 1.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# Words of six letters or more that follow "wechat" / "微信号" in ordinary sentences. An ID made of
# letters only is masked unless it is one of these; one with a digit, "_" or "-" is always masked
# (no English word has them, and most WeChat IDs do).
ORDINARY_WORDS = frozenset(
    [
        "account",
        "accounts",
        "address",
        "anyway",
        "applet",
        "because",
        "before",
        "better",
        "business",
        "called",
        "calling",
        "channel",
        "channels",
        "contact",
        "contacts",
        "customer",
        "customers",
        "directly",
        "either",
        "friend",
        "friends",
        "groups",
        "instead",
        "message",
        "messages",
        "moments",
        "number",
        "numbers",
        "office",
        "official",
        "offline",
        "online",
        "payment",
        "payments",
        "people",
        "please",
        "prefer",
        "profile",
        "program",
        "really",
        "received",
        "scanning",
        "service",
        "settings",
        "should",
        "status",
        "support",
        "thanks",
        "through",
        "tomorrow",
        "transfer",
        "version",
        "wallet",
    ]
)


def _wechat_masked(match: re.Match, hidden: str) -> str:
    if match.group("id").lower() in ORDINARY_WORDS:
        return match.group(0)
    return match.group("label") + hidden


def contact_masked(text: str) -> str:
    """`text` with every phone number, WeChat ID, QQ number, e-mail and web address replaced by a
    placeholder; everything else as written."""
    hidden = _("[contact hidden]")
    text = _EMAIL.sub(hidden, text)
    text = _URL.sub(hidden, text)
    text = _WECHAT.sub(lambda m: _wechat_masked(m, hidden), text)
    text = _QQ.sub(lambda m: m.group("label") + hidden, text)
    text = _LANDLINE.sub(hidden, text)
    return _PHONE.sub(hidden, text)


def body_shown(*, body: str, author_side: str, reader_side: str | None, agreed: bool) -> str:
    """The body as `reader_side` sees it: the author and, once agreed, the other side read it as
    written; before agreement the other side (and anyone not a side) reads it masked."""
    if agreed or author_side == reader_side:
        return body
    return contact_masked(body)
