/* IMAP commands the sync engine needs: LIST (SPECIAL-USE), SELECT (CONDSTORE),
 * UID FETCH of flags and of whole messages, UID STORE, MOVE, APPEND, IDLE.
 * libetpan parses every response; sizes come from its parser, never trusted
 * from the server otherwise. */
#include <poll.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/time.h"
#include "mail/imap/imap_int.h"
#include "store/store.h"
#include "base/banned.h"

static const struct {
	const char *ext; /* as libetpan reports the flag, without the backslash */
	const char *special;
} special_uses[] = {
    {"Sent", "\\Sent"},	      {"Drafts", "\\Drafts"}, {"Trash", "\\Trash"},	{"Junk", "\\Junk"},
    {"Archive", "\\Archive"}, {"All", "\\All"},	      {"Flagged", "\\Flagged"},
};

static void folder_flags(const struct mailimap_mbx_list_flags *fl, struct imap_folder *f)
{
	clistiter *it;
	if (!fl || !fl->mbf_oflags)
		return;
	if (fl->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
	    fl->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
		f->noselect = true;
	for (it = clist_begin(fl->mbf_oflags); it; it = clist_next(it)) {
		struct mailimap_mbx_list_oflag *o = clist_content(it);
		if (o->of_type != MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT || !o->of_flag_ext)
			continue;
		if (strcasecmp(o->of_flag_ext, "Noselect") == 0 ||
		    strcasecmp(o->of_flag_ext, "NonExistent") == 0)
			f->noselect = true;
		for (size_t i = 0; i < sizeof(special_uses) / sizeof(special_uses[0]); i++)
			if (strcasecmp(o->of_flag_ext, special_uses[i].ext) == 0)
				f->special_use = (char *)special_uses[i].special;
	}
}

int imap_conn_list(struct imap_conn *c, struct arena *a, struct imap_folder **folders_r,
		   size_t *n_r, struct err *err)
{
	clist *list = NULL;
	int r = mailimap_list(c->s, "", "*", &list);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "LIST");
	struct imap_folder *f = arena_alloc(a, ((list ? clist_count(list) : 0) + 1) * sizeof(*f));
	size_t n = 0;
	for (clistiter *it = list ? clist_begin(list) : NULL; it; it = clist_next(it)) {
		struct mailimap_mailbox_list *mb = clist_content(it);
		if (!mb->mb_name)
			continue;
		f[n].raw = arena_strdup(a, mb->mb_name);
		f[n].name = imap_mutf7_decode(a, mb->mb_name);
		folder_flags(mb->mb_flag, &f[n]);
		if (f[n].special_use)
			f[n].special_use = arena_strdup(a, f[n].special_use);
		n++;
	}
	if (list)
		mailimap_list_result_free(list);
	*folders_r = f;
	*n_r = n;
	return 0;
}

int imap_conn_select(struct imap_conn *c, const char *raw, struct imap_mailbox *mb_r,
		     struct err *err)
{
	uint64_t modseq = 0;
	int r = imap_conn_has(c, "CONDSTORE") ? mailimap_select_condstore(c->s, raw, &modseq)
					      : mailimap_select(c->s, raw);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "SELECT");
	struct mailimap_selection_info *si = c->s->imap_selection_info;
	mb_r->uidvalidity = si ? si->sel_uidvalidity : 0;
	mb_r->uidnext = si ? si->sel_uidnext : 0;
	mb_r->exists = si ? si->sel_exists : 0;
	mb_r->highestmodseq = modseq;
	return 0;
}

static unsigned flags_of(const struct mailimap_msg_att_dynamic *d)
{
	unsigned f = 0;
	if (!d || !d->att_list) /* FLAGS () comes back as no list at all */
		return 0;
	for (clistiter *it = clist_begin(d->att_list); it; it = clist_next(it)) {
		struct mailimap_flag_fetch *ff = clist_content(it);
		if (ff->fl_type != MAILIMAP_FLAG_FETCH_OTHER || !ff->fl_flag)
			continue;
		switch (ff->fl_flag->fl_type) {
		case MAILIMAP_FLAG_SEEN:
			f |= MAIL_SEEN;
			break;
		case MAILIMAP_FLAG_ANSWERED:
			f |= MAIL_ANSWERED;
			break;
		case MAILIMAP_FLAG_FLAGGED:
			f |= MAIL_FLAGGED;
			break;
		case MAILIMAP_FLAG_DELETED:
			f |= MAIL_DELETED;
			break;
		case MAILIMAP_FLAG_DRAFT:
			f |= MAIL_DRAFT;
			break;
		default:
			break;
		}
	}
	return f;
}

static int64_t date_of(const struct mailimap_date_time *d)
{
	/* A server's INTERNALDATE is not trusted: nonsense is no date, far years are clamped. */
	if (!d || d->dt_month < 1 || d->dt_month > 12 || d->dt_day < 1 || d->dt_day > 31 ||
	    d->dt_year < 0 || d->dt_year > 99999 || d->dt_zone < -9999 || d->dt_zone > 9999)
		return 0;
	int zone = d->dt_zone; /* +hhmm as a number */
	int sign = zone < 0 ? -1 : 1;
	zone *= sign;
	int64_t t =
	    time_days_from_civil(d->dt_year, (unsigned)d->dt_month, (unsigned)d->dt_day) * 86400 +
	    (int64_t)d->dt_hour * 3600 + (int64_t)d->dt_min * 60 + d->dt_sec -
	    sign * ((zone / 100) * 3600 + (zone % 100) * 60);
	return time_clamp(t);
}

struct fetched {
	uint32_t uid;
	unsigned flags;
	int64_t date;
	const char *body;
	size_t len;
};

static void parse_att(const struct mailimap_msg_att *att, struct fetched *out)
{
	memset(out, 0, sizeof(*out));
	if (!att || !att->att_list)
		return;
	for (clistiter *it = clist_begin(att->att_list); it; it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);
		if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC) {
			out->flags = flags_of(item->att_data.att_dyn);
			continue;
		}
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		struct mailimap_msg_att_static *st = item->att_data.att_static;
		if (st->att_type == MAILIMAP_MSG_ATT_UID)
			out->uid = st->att_data.att_uid;
		else if (st->att_type == MAILIMAP_MSG_ATT_INTERNALDATE)
			out->date = date_of(st->att_data.att_internal_date);
		else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION &&
			 st->att_data.att_body_section) {
			out->body = st->att_data.att_body_section->sec_body_part;
			out->len = st->att_data.att_body_section->sec_length;
		}
	}
}

static struct mailimap_fetch_type *flags_fetch(void)
{
	struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_flags());
	return ft;
}

static int each_uid(struct imap_conn *c, clist *result, imap_uid_fn *fn, void *ctx, struct err *err)
{
	int rc = 0;
	for (clistiter *it = result ? clist_begin(result) : NULL; it && rc == 0;
	     it = clist_next(it)) {
		struct fetched f;
		parse_att(clist_content(it), &f);
		if (f.uid)
			rc = fn(ctx, f.uid, f.flags, err);
	}
	if (result)
		mailimap_fetch_list_free(result);
	return rc;
}

int imap_conn_uids(struct imap_conn *c, uint32_t first, imap_uid_fn *fn, void *ctx, struct err *err)
{
	clist *result = NULL;
	struct mailimap_set *set = mailimap_set_new_interval(first ? first : 1, 0);
	struct mailimap_fetch_type *ft = flags_fetch();
	int r = mailimap_uid_fetch(c->s, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "UID FETCH");
	return each_uid(c, result, fn, ctx, err);
}

int imap_conn_changed(struct imap_conn *c, uint64_t modseq, imap_uid_fn *fn, void *ctx,
		      struct err *err)
{
	clist *result = NULL;
	struct mailimap_set *set = mailimap_set_new_interval(1, 0);
	struct mailimap_fetch_type *ft = flags_fetch();
	int r = mailimap_uid_fetch_changedsince(c->s, set, ft, modseq, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "UID FETCH CHANGEDSINCE");
	return each_uid(c, result, fn, ctx, err);
}

int imap_conn_fetch(struct imap_conn *c, const uint32_t *uids, size_t n, imap_message_fn *fn,
		    void *ctx, struct err *err)
{
	if (n == 0)
		return 0;
	clist *result = NULL;
	struct mailimap_set *set = mailimap_set_new_empty();
	for (size_t i = 0; i < n; i++)
		mailimap_set_add_single(set, uids[i]);
	struct mailimap_fetch_type *ft = flags_fetch();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_internaldate());
	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_body_peek_section(mailimap_section_new(NULL)));
	int r = mailimap_uid_fetch(c->s, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "UID FETCH");
	int rc = 0;
	for (clistiter *it = result ? clist_begin(result) : NULL; it && rc == 0;
	     it = clist_next(it)) {
		struct fetched f;
		parse_att(clist_content(it), &f);
		if (f.uid && f.body && f.len <= IMAP_MAX_MESSAGE)
			rc = fn(ctx, f.uid, f.flags, f.date, f.body, f.len, err);
	}
	if (result)
		mailimap_fetch_list_free(result);
	return rc;
}

static struct mailimap_flag_list *flag_list(unsigned flags)
{
	struct mailimap_flag_list *fl = mailimap_flag_list_new_empty();
	if (flags & MAIL_SEEN)
		mailimap_flag_list_add(fl, mailimap_flag_new_seen());
	if (flags & MAIL_ANSWERED)
		mailimap_flag_list_add(fl, mailimap_flag_new_answered());
	if (flags & MAIL_FLAGGED)
		mailimap_flag_list_add(fl, mailimap_flag_new_flagged());
	if (flags & MAIL_DELETED)
		mailimap_flag_list_add(fl, mailimap_flag_new_deleted());
	if (flags & MAIL_DRAFT)
		mailimap_flag_list_add(fl, mailimap_flag_new_draft());
	return fl;
}

int imap_conn_store_flags(struct imap_conn *c, uint32_t uid, bool add, unsigned flags,
			  struct err *err)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_flag_list *fl = flag_list(flags);
	struct mailimap_store_att_flags *sa =
	    add ? mailimap_store_att_flags_new_add_flags_silent(fl)
		: mailimap_store_att_flags_new_remove_flags_silent(fl);
	int r = mailimap_uid_store(c->s, set, sa);
	mailimap_store_att_flags_free(sa);
	mailimap_set_free(set);
	return r == MAILIMAP_NO_ERROR ? 0 : imap_fail(c, err, r, "UID STORE");
}

int imap_conn_move(struct imap_conn *c, uint32_t uid, const char *raw_dest, struct err *err)
{
	struct mailimap_set *set = mailimap_set_new_single(uid);
	int r;
	if (imap_conn_has(c, "MOVE")) {
		r = mailimap_uid_move(c->s, set, raw_dest);
		mailimap_set_free(set);
		return r == MAILIMAP_NO_ERROR ? 0 : imap_fail(c, err, r, "UID MOVE");
	}
	r = mailimap_uid_copy(c->s, set, raw_dest);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "UID COPY");
	if (imap_conn_store_flags(c, uid, true, MAIL_DELETED, err) < 0)
		return -1;
	set = mailimap_set_new_single(uid);
	r = imap_conn_has(c, "UIDPLUS") ? mailimap_uid_expunge(c->s, set) : mailimap_expunge(c->s);
	mailimap_set_free(set);
	return r == MAILIMAP_NO_ERROR ? 0 : imap_fail(c, err, r, "EXPUNGE");
}

int imap_conn_append(struct imap_conn *c, const char *raw, unsigned flags, const char *msg,
		     size_t len, uint32_t *uid_r, struct err *err)
{
	uint32_t validity = 0, uid = 0;
	struct mailimap_flag_list *fl = flag_list(flags);
	int r = imap_conn_has(c, "UIDPLUS")
		    ? mailimap_uidplus_append(c->s, raw, fl, NULL, msg, len, &validity, &uid)
		    : mailimap_append(c->s, raw, fl, NULL, msg, len);
	mailimap_flag_list_free(fl);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "APPEND");
	*uid_r = uid;
	return 0;
}

int imap_conn_idle(struct imap_conn *c, int timeout_s, bool *changed_r, struct err *err)
{
	*changed_r = false;
	if (!imap_conn_has(c, "IDLE")) {
		struct timespec ts = {timeout_s, 0};
		nanosleep(&ts, NULL);
		*changed_r = true;
		return 0;
	}
	int r = mailimap_idle(c->s);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "IDLE");
	struct pollfd pfd = {.fd = mailimap_idle_get_fd(c->s), .events = POLLIN};
	/* libetpan may already hold the server's "* N EXISTS" in its buffer. */
	bool buffered = c->s->imap_stream && c->s->imap_stream->read_buffer_len > 0;
	int p = buffered ? 1 : poll(&pfd, 1, timeout_s * 1000);
	*changed_r = p > 0;
	r = mailimap_idle_done(c->s);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "IDLE DONE");
	return 0;
}

/* ---- modified UTF-7 (RFC 3501 5.1.3) ---- */

static int b64val(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	return ch == '+' ? 62 : ch == ',' ? 63 : -1;
}

static void put_utf8(char **o, unsigned cp)
{
	unsigned char *p = (unsigned char *)*o;
	if (cp < 0x80) {
		*p++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*p++ = (unsigned char)(0xc0 | cp >> 6);
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (unsigned char)(0xe0 | cp >> 12);
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (unsigned char)(0xf0 | cp >> 18);
		*p++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)p;
}

char *imap_mutf7_decode(struct arena *a, const char *in)
{
	char *out = arena_alloc(a, strlen(in) * 4 + 1), *o = out;
	for (const char *p = in; *p;) {
		if (*p != '&') {
			*o++ = *p++;
			continue;
		}
		if (p[1] == '-') {
			*o++ = '&';
			p += 2;
			continue;
		}
		unsigned bits = 0, nbits = 0, hi = 0;
		for (p++; *p && *p != '-'; p++) {
			int v = b64val(*p);
			if (v < 0)
				return arena_strdup(a, in);
			bits = (bits << 6) | (unsigned)v;
			nbits += 6;
			if (nbits < 16)
				continue;
			nbits -= 16;
			unsigned u = (bits >> nbits) & 0xffff;
			if (u >= 0xd800 && u < 0xdc00) {
				hi = u;
			} else if (u >= 0xdc00 && u < 0xe000 && hi) {
				put_utf8(&o, 0x10000 + ((hi - 0xd800) << 10) + (u - 0xdc00));
				hi = 0;
			} else {
				put_utf8(&o, u);
			}
		}
		if (*p != '-')
			return arena_strdup(a, in);
		p++;
	}
	*o = '\0';
	return out;
}
