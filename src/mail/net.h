/* What the mail protocols share on the wire: a TCP connect with a timeout,
 * SNI for libetpan's TLS streams, and verifying the TLS peer ourselves
 * (libetpan's GnuTLS build checks no certificate: see net.c). */
#ifndef MAIL_NET_H
#define MAIL_NET_H

#include <stdbool.h>
#include <stddef.h>

#include <libetpan/libetpan.h>

#define NET_MAX_CHAIN 16 /* certificates taken from the peer's chain */

struct sockaddr;

/* True for an address outside the public internet: loopback, private
   (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), link-local, unspecified,
   multicast, reserved, ULA (fc00::/7), site-local, documentation, and IPv4
   ones of those mapped, compatible or NAT64-wrapped in IPv6. */
bool net_addr_private(const struct sockaddr *sa);

/* A blocking TCP socket to host:port (each address tried in turn, each within
   timeout seconds). With public_only (a mailbox whose hosts no admin set), a
   name with any non-public address is refused before any connect, the
   addresses checked are the ones connected to (no second lookup for DNS
   rebinding), and failures say only "cannot connect" (not refused vs timed
   out: no port scanning). *loopback_r says whether the peer address is
   127.0.0.0/8 or ::1. Returns the fd, or -1 with why (a sentence) filled in. */
int net_connect(const char *host, int port, int timeout, bool public_only, bool *loopback_r,
		char *why, size_t whylen);

/* Resolves host and checks every address as net_connect() does with
   public_only: 0 all public, -1 refused (why says so), 1 unresolvable. */
int net_check_host(const char *host, int port, char *why, size_t whylen);

/* libetpan's TLS context callback: sets SNI to data (a host name; address
   literals get none, as RFC 6066 says). */
void net_tls_sni(struct mailstream_ssl_context *ctx, void *data);

/* Verifies the TLS peer of stream: a chain to a CA in ca_file (PEM; NULL: the
   system's trust store) and a certificate for host. Returns 0, or -1 with why
   filled in. Must be called before anything is sent over the stream. */
int net_tls_verify(mailstream *stream, const char *host, const char *ca_file, char *why,
		   size_t whylen);

#endif
