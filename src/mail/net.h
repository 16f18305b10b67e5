/* What the mail protocols share on the wire: a TCP connect with a timeout,
 * SNI for libetpan's TLS streams, and verifying the TLS peer ourselves
 * (libetpan's GnuTLS build checks no certificate: see net.c). */
#ifndef MAIL_NET_H
#define MAIL_NET_H

#include <stdbool.h>
#include <stddef.h>

#include <libetpan/libetpan.h>

#define NET_MAX_CHAIN 16 /* certificates taken from the peer's chain */

/* A blocking TCP socket to host:port (each address tried in turn, each within
   timeout seconds). *loopback_r says whether the peer address is 127.0.0.0/8
   or ::1. Returns the fd, or -1 with why (a sentence) filled in. */
int net_connect(const char *host, int port, int timeout, bool *loopback_r, char *why,
		size_t whylen);

/* libetpan's TLS context callback: sets SNI to data (a host name; address
   literals get none, as RFC 6066 says). */
void net_tls_sni(struct mailstream_ssl_context *ctx, void *data);

/* Verifies the TLS peer of stream: a chain to a CA in ca_file (PEM; NULL: the
   system's trust store) and a certificate for host. Returns 0, or -1 with why
   filled in. Must be called before anything is sent over the stream. */
int net_tls_verify(mailstream *stream, const char *host, const char *ca_file, char *why,
		   size_t whylen);

#endif
