-- Mail as a sync would leave it, for the mail routes of the API: three
-- accounts (one shared, one personal to admin@example.com, one to delete),
-- disabled and pointing at a closed port so that no sync thread talks to
-- anything, two threads, three messages with their locations, attachments and
-- search rows. test_api.sh fills in the blob hashes
-- (@RAW_Q@ ...) from the files next to this one and pipes it into sqlite3.
BEGIN;
INSERT INTO mail_accounts (id, name, email, imap_url, smtp_url, username, auth, owner_id,
	shared, enabled, health, created_at, updated_at)
VALUES
	(1, 'shared-box', 'box@example.com', 'imaps://127.0.0.1:9', 'smtps://127.0.0.1:9',
	 'box@example.com', 'password', NULL, 1, 0, 'ok', @NOW@, @NOW@),
	(2, 'admin-box', 'admin@example.com', 'imaps://127.0.0.1:9', 'smtps://127.0.0.1:9',
	 'admin@example.com', 'password', (SELECT id FROM users WHERE email = 'admin@example.com'),
	 0, 0, 'ok', @NOW@, @NOW@),
	(3, 'old-box', 'old@example.com', 'imaps://127.0.0.1:9', 'smtps://127.0.0.1:9',
	 'old@example.com', 'password', NULL, 1, 0, 'ok', @NOW@, @NOW@);
INSERT INTO mail_folders (id, account_id, name, special_use, sync) VALUES
	(11, 1, 'INBOX', NULL, 1),
	(12, 1, 'Archive', '\Archive', 1),
	(13, 2, 'INBOX', NULL, 1);
INSERT INTO threads (id, subject, last_date, message_count, shared) VALUES
	(101, 'Quarterly figures', 1794909600, 2, 0),
	(102, 'Personal: dinner on Friday', 1794988800, 1, 0);
INSERT INTO messages (id, message_id, thread_id, subject, subject_key, from_name, from_addr,
	to_json, date, in_reply_to, refs, text_body, html_body, snippet, has_attachments, size,
	raw_sha256, direction, created_at)
VALUES
	(201, 'q3-figures@engines.example', 101, 'Quarterly figures', 'quarterly figures',
	 'Ada Lovelace', 'ada@engines.example',
	 '[{"name":"Shared Box","address":"box@example.com"}]', 1794821400, NULL, '[]',
	 'Hello, here are the quarterly figures.',
	 '<p>Hello, here are the <b>quarterly figures</b>.</p><script>alert(1)</script><img src="https://tracker.example/pixel.gif"><img src="cid:logo@parley.test">',
	 'Hello, here are the quarterly figures.', 1, @SIZE_Q@, '@RAW_Q@', 'inbound', @NOW@),
	(202, 'q3-reply@example.com', 101, 'Re: Quarterly figures', 'quarterly figures',
	 'Shared Box', 'box@example.com', '[{"name":"Ada Lovelace","address":"ada@engines.example"}]',
	 1794909600, 'q3-figures@engines.example', '["q3-figures@engines.example"]',
	 'Thank you, Ada. The proposal follows.', NULL, 'Thank you, Ada. The proposal follows.', 0,
	 @SIZE_R@, '@RAW_R@', 'outbound', @NOW@),
	(203, 'private-1@admin.example', 102, 'Personal: dinner on Friday',
	 'personal: dinner on friday', 'Charles Babbage', 'charles@diff.example',
	 '[{"name":"Ada Admin","address":"admin@example.com"}]', 1794988800, NULL, '[]',
	 'Dinner on Friday at eight?', NULL, 'Dinner on Friday at eight?', 0, @SIZE_P@, '@RAW_P@',
	 'inbound', @NOW@);
INSERT INTO thread_ids (message_id, thread_id) VALUES
	('q3-figures@engines.example', 101),
	('q3-reply@example.com', 101),
	('private-1@admin.example', 102);
-- flags: 1 = \Seen, 4 = \Flagged
INSERT INTO message_locations (message_ref, folder_id, uid, flags, modseq) VALUES
	(201, 11, 1, 0, 1),
	(202, 11, 2, 1, 1),
	(203, 13, 1, 0, 1);
INSERT INTO attachments (id, message_ref, filename, content_type, size, sha256, content_id, inline)
VALUES
	(301, 201, 'report.txt', 'text/plain', @SIZE_REPORT@, '@SHA_REPORT@', NULL, 0),
	(302, 201, 'logo.png', 'image/png', @SIZE_LOGO@, '@SHA_LOGO@', 'logo@parley.test', 1);
INSERT INTO message_fts (rowid, subject, body, participants, filenames) VALUES
	(201, 'Quarterly figures', 'Hello, here are the quarterly figures.',
	 'Ada Lovelace ada@engines.example Shared Box box@example.com ', 'report.txt logo.png '),
	(202, 'Re: Quarterly figures', 'Thank you, Ada. The proposal follows.',
	 'Shared Box box@example.com Ada Lovelace ada@engines.example ', ''),
	(203, 'Personal: dinner on Friday', 'Dinner on Friday at eight?',
	 'Charles Babbage charles@diff.example Ada Admin admin@example.com ', '');
COMMIT;
