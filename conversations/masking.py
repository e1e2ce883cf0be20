"""Contact details typed into a message are hidden from the other side until the two have agreed to
talk (agreements.py), as the contact card is. The body is stored as written; every output on the
site (API, pages, the conversation list's previews) words it through `body_shown`, so agreeing later
shows everything that was written. Notifications and their e-mails are the exception: their preview
is a copy sent away that cannot be taken back, so it is always `contact_masked`
(services._notify), before and after agreement.

What counts as contact details, narrowly (a price, an order number, a date or a sentence that merely
names WeChat must stay readable):
- a mainland mobile number: 1[3-9] and 9 more digits, half- or full-width, with at most one space
  or dash between digits (138 0013 8000), optionally after +86 / 86; not inside a longer run of
  digits or letters (an order number);
- a landline with its area code and a separator: 0571-8512 3456, (0579) 85123456;
- a WeChat ID after 微信 / 微信号 / V信 / 薇信 / VX / WX / weixin / wechat (id), joined by nothing, a
  colon, an arrow, "is" or "是": 6-20 letters, digits, _ or -, starting with a letter, as WeChat
  allows — but not an ordinary English word ("my wechat account", "微信号 please"): those are
  sentences about WeChat, not an ID; "is called", "is named" and 叫 join as "is" does ("my wechat is
  called wangli"); after a colon, "is" or "是" also an ID typed with spaces ("vx: wang li 88"), and
  after any joint one typed a character at a time ("微信 w a n g l i");
- a QQ number after QQ / 扣扣 (5-11 digits, not starting with 0, spaces or dashes between);
- an e-mail address, also with a full-width ＠ or spelled out ("wang at yiwu dot com", "(at)");
- a web address (http://, https:// or www.): a shop or a profile page reaches the person as well;
  also a bare domain with a common top-level domain ("at yiwu.com"), but not a marketplace's or a
  mail provider's own ("we sell on 1688.com").

Every pattern is linear on any input: a label's whitespace is taken possessively, and no two
repeated parts can match the same characters (tests/conversations/test_masking.py times 10,000-
character adversarial messages).
"""

import re

from django.utils.translation import gettext as _

# Digits typed with a Chinese input method are often full-width (１３８…): matched in both widths.
_D = r"[0-9０-９]"
# A mobile number: 1[3-9] and nine digits, with at most one space or dash between any two of them
# (138 0013 8000, 138-0013-8000, 1380 013 8000). A fixed count, so a long run of digits is tried
# in constant time per start.
_PHONE = re.compile(
    rf"(?<![A-Za-z0-9０-９])(?:[+＋]?[8８][6６][ \-－]?)?[1１][3-9３-９](?:[ \-－]?{_D}){{9}}(?![A-Za-z0-9０-９])"
)
# A separator is required: a bare run of 11-12 digits starting with 0 is as likely an order number.
_LANDLINE = re.compile(r"(?<![A-Za-z0-9-])(?:0\d{2,3}-|\(0\d{2,3}\) ?)\d{3,4}[ -]?\d{4}(?![A-Za-z0-9-])")
# What joins a label to the ID: a colon, an arrow, "is", "是" (_SAYS), or only spaces (_JOIN).
# Whitespace in a label and its joint is taken possessively (\s*+) and the two atomically (?>…):
# a run of spaces is never re-split on failure ("微信" and 10,000 spaces took 4 s, now ~1 ms).
# "is called" / "is named" / 叫 introduce the ID as "is" does ("my wechat is called wangli"); they come
# first in the alternation, since the group is atomic: "is" alone would leave "called" as the ID, an
# ordinary word, and the real ID after it unread.
_SAYS = (
    r"\s*+(?:[:：=]|->|→|(?<![A-Za-z])is\s++(?:called|named)(?![A-Za-z])|(?<![A-Za-z])is(?![A-Za-z])"
    r"|是|叫做?)\s*+"
)
_JOIN = rf"(?:{_SAYS}|\s*+)"
_WECHAT_LABEL = (
    r"(?:(?:微|薇|威|(?<![A-Za-z])[vV])信号?|(?<![A-Za-z])(?:vx|wx|weixin|wechat)(?:\s*+(?:id|account|number|name))?)"
    r"\s*+(?:号)?"
)
_WECHAT = re.compile(
    rf"(?P<label>(?>{_WECHAT_LABEL}{_JOIN}))"
    r"(?P<id>(?<![A-Za-z0-9])[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
# An ID typed with spaces so a filter would miss it ("vx: wang li 88"): words then a number, after
# a label and a colon, "is" or "是" ("wechat group has 200 people" is a sentence). The parts cannot
# overlap (letters, one space, digits), so there is no backtracking to speak of.
_WECHAT_SPACED = re.compile(
    rf"(?P<label>(?>{_WECHAT_LABEL}{_SAYS}))"
    r"(?P<id>(?<![A-Za-z0-9])[A-Za-z]{1,20}(?: [A-Za-z]{1,20}){0,3} \d{2,10})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
# An ID typed one character at a time ("微信 w a n g l i", "vx: w a n g l i 8 8"): six to twenty
# single characters, one or two spaces apart, after a label and any joint. No word has this shape,
# and the parts (one character, spaces) cannot overlap, so it is linear.
_WECHAT_LETTERS = re.compile(
    rf"(?P<label>(?>{_WECHAT_LABEL}{_JOIN}))"
    r"(?P<id>(?<![A-Za-z0-9])[A-Za-z](?: {1,2}[-_A-Za-z0-9]){5,19})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
_QQ = re.compile(
    rf"(?P<label>(?>(?:(?<![A-Za-z])qq|扣扣)\s*+(?:号码|号|number|no\.?)?{_JOIN}))"
    r"(?P<id>[1-9１-９](?:[ \-]?[0-9０-９]){4,10})(?![0-9０-９])",
    re.IGNORECASE,
)
_URL = re.compile(r"(?<![A-Za-z0-9])(?:https?://|www\.)[^\s<>\"'，。！？；、）】]+", re.IGNORECASE)
# A match starts only where a run of address characters starts (the lookbehind), so a long run
# without "@" is scanned once, not once per position: 4,000 letters took 40 ms, now well under 1.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}[@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# An address spelled out against filters: "wang.li at yiwu-box dot com", "wang(at)yiwu.com",
# "wang [at] yiwu [dot] com". The domain needs a dot (or "dot") and a TLD, so "meet at 3pm" or
# "price at 12.50" is no address; a label and its separator share no character, so no backtracking.
_AT = r"(?:\s*[(\[]\s*at\s*[)\]]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[(\[]\s*dot\s*[)\]]\s*|\s+dot\s+)"
# A pronoun before a plain " at " is a sentence, not a mailbox ("find us at yiwu.com": the domain
# alone is masked, below).
_EMAIL_SPELLED = re.compile(
    rf"(?<![A-Za-z0-9._%+-])(?!(?:us|me|you|him|her|them|it)\s+at\s)[A-Za-z0-9._%+-]{{1,64}}{_AT}(?:[A-Za-z0-9-]{{1,63}}{_DOT}){{1,4}}[A-Za-z]{{2,12}}(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# A bare domain ("at yiwu.com", "官网 yiwu-box.cn", "shop123.1688.com"): a shop or a mailbox's domain
# reaches the person as a web address does. Only common top-level domains, and none a file name or
# a company name's abbreviation ends with (.pdf, .jpg; "Co.Ltd"), and the name may not go on after
# the top-level domain ("Haowu.Co.Ltd", "yiwu.community"): so "12.50", "A-2024", "30.5cm", "Mr.Wang",
# "No.5" and "spec.pdf" stay. A match starts only where a run of name characters starts.
_TLDS = (
    "com|cn|net|org|info|biz|shop|store|top|xyz|vip|club|online|site|tech|app|link|io|cc|hk|tw|jp|kr|sg|"
    "us|uk|de|fr|ru|in"
)
_DOMAIN = re.compile(
    rf"(?<![A-Za-z0-9._%+@-])(?:[A-Za-z0-9][A-Za-z0-9-]{{0,62}}\.){{1,4}}(?:{_TLDS})(?![.-]?[A-Za-z0-9])",
    re.IGNORECASE,
)
# Marketplaces' and mail providers' own domains, named on their own, are talk about where to sell
# or which mailbox to use ("we also sell on 1688.com"), not a way to reach someone: a shop on one of
# them (shop123.1688.com) is masked as any domain.
PLATFORM_DOMAINS = frozenset(
    [
        "1688.com",
        "taobao.com",
        "tmall.com",
        "jd.com",
        "alibaba.com",
        "aliexpress.com",
        "pinduoduo.com",
        "douyin.com",
        "kuaishou.com",
        "xiaohongshu.com",
        "qq.com",
        "163.com",
        "126.com",
        "gmail.com",
    ]
)


def _domain_masked(match: re.Match[str], hidden: str) -> str:
    return match.group(0) if match.group(0).lower() in PLATFORM_DOMAINS else hidden


# Words of six letters or more that follow "wechat" / "微信号" in ordinary sentences ("wechat is
# popular here", "my wechat is always on"): common adverbs, adjectives, times and chat words. An ID
# made of letters only is masked unless it is one of these; one with a digit, "_" or "-" is always
# masked (no English word has them, and most WeChat IDs do).
ORDINARY_WORDS = frozenset(
    [
        "account",
        "accounts",
        "actually",
        "address",
        "afternoon",
        "already",
        "always",
        "another",
        "anyway",
        "applet",
        "available",
        "banned",
        "because",
        "before",
        "better",
        "bigger",
        "blocked",
        "broken",
        "business",
        "button",
        "called",
        "calling",
        "camera",
        "cantonese",
        "changed",
        "channel",
        "channels",
        "chatting",
        "cheaper",
        "cheapest",
        "chinese",
        "closed",
        "common",
        "company",
        "contact",
        "contacts",
        "convenient",
        "correct",
        "currently",
        "customer",
        "customers",
        "deleted",
        "desktop",
        "different",
        "directly",
        "disabled",
        "easier",
        "easiest",
        "either",
        "enabled",
        "english",
        "enough",
        "evening",
        "factory",
        "faster",
        "fastest",
        "friday",
        "friend",
        "friends",
        "frozen",
        "generally",
        "groups",
        "hacked",
        "harder",
        "higher",
        "images",
        "important",
        "impossible",
        "inconvenient",
        "installed",
        "instead",
        "keyboard",
        "laptop",
        "larger",
        "limited",
        "linked",
        "loading",
        "logged",
        "longer",
        "mainly",
        "mandarin",
        "message",
        "messages",
        "missing",
        "mobile",
        "moments",
        "monday",
        "morning",
        "mostly",
        "necessary",
        "needed",
        "normal",
        "normally",
        "notification",
        "notifications",
        "number",
        "numbers",
        "office",
        "official",
        "offline",
        "online",
        "payment",
        "payments",
        "pending",
        "people",
        "perfect",
        "personal",
        "photos",
        "pictures",
        "please",
        "popular",
        "possible",
        "prefer",
        "private",
        "probably",
        "profile",
        "program",
        "public",
        "quicker",
        "rarely",
        "really",
        "received",
        "registered",
        "required",
        "restricted",
        "saturday",
        "scanning",
        "screen",
        "second",
        "secure",
        "seller",
        "sending",
        "service",
        "settings",
        "shared",
        "sharing",
        "shorter",
        "should",
        "simpler",
        "slower",
        "smaller",
        "sometimes",
        "status",
        "stickers",
        "stories",
        "streamer",
        "stronger",
        "sunday",
        "supplier",
        "support",
        "suspended",
        "talking",
        "thanks",
        "through",
        "thursday",
        "tomorrow",
        "tonight",
        "transfer",
        "translate",
        "translation",
        "tuesday",
        "typing",
        "unavailable",
        "updated",
        "upgraded",
        "useful",
        "usually",
        "verified",
        "version",
        "videos",
        "waiting",
        "wallet",
        "wechat",
        "wednesday",
        "weekend",
        "weixin",
        "working",
        "yesterday",
    ]
)


def _wechat_masked(match: re.Match[str], hidden: str) -> str:
    # Both groups are part of every match (typeshed types a named group as str | Any).
    label: str = match.group("label")
    if match.group("id").lower() in ORDINARY_WORDS:
        return match.group(0)
    return label + hidden


def contact_masked(text: str) -> str:
    """`text` with every phone number, WeChat ID, QQ number, e-mail and web address replaced by a
    placeholder; everything else as written."""
    hidden = _("[contact hidden]")
    text = _EMAIL.sub(hidden, text)
    text = _EMAIL_SPELLED.sub(hidden, text)
    text = _URL.sub(hidden, text)
    text = _DOMAIN.sub(lambda m: _domain_masked(m, hidden), text)
    text = _WECHAT_SPACED.sub(lambda m: m.group("label") + hidden, text)
    text = _WECHAT_LETTERS.sub(lambda m: m.group("label") + hidden, text)
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
