#!/usr/bin/env python3
"""maildir_text.py MAILDIR SUBJECT_REGEX [--count N]: prints the newest message
in MAILDIR (new/ and cur/) whose Subject matches: its From, To, Subject and
Content-Type headers, a blank line, then its text/plain and text/html parts as
text. Exits 1 if there is none. With --count N, prints nothing and exits 0
only if exactly N messages match. For the automation tests."""
import email
import email.policy
import os
import re
import sys

maildir, pattern = sys.argv[1], re.compile(sys.argv[2])
want = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--count" else None
found = []
for sub in ("new", "cur"):
    d = os.path.join(maildir, sub)
    for name in os.listdir(d) if os.path.isdir(d) else []:
        path = os.path.join(d, name)
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        if pattern.search(str(msg.get("Subject", ""))):
            found.append((os.path.getmtime(path), name, msg))
if want is not None:
    sys.exit(0 if len(found) == want else 1)
if not found:
    sys.exit(1)
msg = sorted(found, key=lambda t: (t[0], t[1]))[-1][2]
for h in ("From", "To", "Subject", "Content-Type"):
    print(f"{h}: {msg.get(h, '')}")
print()
for part in msg.walk():
    if part.get_content_type() in ("text/plain", "text/html") and not part.is_attachment():
        print(part.get_content())
