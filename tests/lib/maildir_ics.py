#!/usr/bin/env python3
"""maildir_ics.py MAILDIR SUBJECT_REGEX OUT: writes the text/calendar part of
the newest message in MAILDIR (new/ and cur/) whose Subject matches, and
prints its Content-Type; exits 1 if there is none. For the calendar tests."""
import email
import email.policy
import os
import re
import sys

maildir, pattern, out = sys.argv[1], re.compile(sys.argv[2]), sys.argv[3]
found = []
for sub in ("new", "cur"):
    d = os.path.join(maildir, sub)
    for name in os.listdir(d) if os.path.isdir(d) else []:
        path = os.path.join(d, name)
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        if pattern.search(str(msg.get("Subject", ""))):
            found.append((os.path.getmtime(path), name, msg))
if not found:
    sys.exit(1)
msg = sorted(found, key=lambda t: (t[0], t[1]))[-1][2]
for part in msg.walk():
    if part.get_content_type() == "text/calendar":
        with open(out, "wb") as f:
            f.write(part.get_payload(decode=True))
        print(part.get("Content-Type"))
        sys.exit(0)
sys.exit(1)
