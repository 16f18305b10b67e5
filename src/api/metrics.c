/* Prometheus metrics: requests by route and status, latency histograms. Lock-free:
 * every counter is an atomic, rendered on demand. */
#include <stdio.h>

#include "api/router.h"
#include "api/server_int.h"
#include "base/buf.h"
#include "base/time.h"
#include "mail/html_safe.h"
#include "base/banned.h"

static const int counted_status[METRICS_NSTATUS] = {200, 201, 204, 301, 302, 304, 400, 401, 403,
						    404, 405, 409, 413, 415, 429, 500, 503, 0};
static const double bucket_le[METRICS_NBUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
						   0.05,   0.1,	  0.25,	  0.5,	 1.0,  2.5};

void metrics_record(struct server_state *s, int route_idx, int status, int64_t elapsed_ns)
{
	struct route_metrics *m = &s->metrics[route_idx];
	int i = 0;
	while (i < METRICS_NSTATUS - 1 && counted_status[i] != status)
		i++;
	atomic_fetch_add(&m->by_status[i == METRICS_NSTATUS - 1 ? METRICS_NSTATUS : i], 1);
	double secs = (double)elapsed_ns / 1e9;
	for (int b = 0; b < METRICS_NBUCKETS; b++)
		if (secs <= bucket_le[b]) {
			atomic_fetch_add(&m->buckets[b], 1);
			break;
		}
	atomic_fetch_add(&m->count, 1);
	atomic_fetch_add(&m->sum_us, (uint64_t)(elapsed_ns / 1000));
}

static void route_label(struct buf *b, size_t idx)
{
	if (idx < nroutes)
		buf_printf(b, "method=\"%s\",route=\"%s\"", routes[idx].method, routes[idx].path);
	else
		buf_puts(b, "method=\"\",route=\"unmatched\"");
}

void metrics_render(struct server_state *s, struct buf *b)
{
	buf_puts(b, "# HELP parley_http_requests_total HTTP requests by route and status.\n"
		    "# TYPE parley_http_requests_total counter\n");
	for (size_t r = 0; r <= nroutes; r++) {
		struct route_metrics *m = &s->metrics[r];
		for (int i = 0; i <= METRICS_NSTATUS; i++) {
			uint64_t n = atomic_load(&m->by_status[i]);
			if (!n)
				continue;
			buf_puts(b, "parley_http_requests_total{");
			route_label(b, r);
			if (i < METRICS_NSTATUS - 1)
				buf_printf(b, ",status=\"%d\"} %llu\n", counted_status[i],
					   (unsigned long long)n);
			else
				buf_printf(b, ",status=\"other\"} %llu\n", (unsigned long long)n);
		}
	}
	buf_puts(b, "# HELP parley_http_request_duration_seconds Time to answer a request.\n"
		    "# TYPE parley_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= nroutes; r++) {
		struct route_metrics *m = &s->metrics[r];
		uint64_t count = atomic_load(&m->count), cum = 0;
		if (!count)
			continue;
		for (int i = 0; i < METRICS_NBUCKETS; i++) {
			cum += atomic_load(&m->buckets[i]);
			buf_puts(b, "parley_http_request_duration_seconds_bucket{");
			route_label(b, r);
			buf_printf(b, ",le=\"%g\"} %llu\n", bucket_le[i], (unsigned long long)cum);
		}
		buf_puts(b, "parley_http_request_duration_seconds_bucket{");
		route_label(b, r);
		buf_printf(b, ",le=\"+Inf\"} %llu\n", (unsigned long long)count);
		buf_puts(b, "parley_http_request_duration_seconds_sum{");
		route_label(b, r);
		buf_printf(b, "} %.6f\n", (double)atomic_load(&m->sum_us) / 1e6);
		buf_puts(b, "parley_http_request_duration_seconds_count{");
		route_label(b, r);
		buf_printf(b, "} %llu\n", (unsigned long long)count);
	}
	buf_printf(b,
		   "# HELP parley_start_time_seconds When this server started.\n"
		   "# TYPE parley_start_time_seconds gauge\nparley_start_time_seconds %lld\n",
		   (long long)s->started_at);
	buf_printf(b,
		   "# HELP parley_mail_html_sanitised_total Message HTML parts sanitised (once "
		   "per message and variant: views serve the kept result).\n"
		   "# TYPE parley_mail_html_sanitised_total counter\n"
		   "parley_mail_html_sanitised_total %ld\n",
		   mail_html_safe_count());
}
