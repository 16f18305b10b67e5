/* TCP connects and TLS peer verification for the mail protocols.
 *
 * Certificate verification. libetpan (1.9.4, built with GnuTLS on Debian)
 * verifies nothing: its GnuTLS handshake sets no trust store and never checks
 * the peer, and mailstream_ssl_set_server_certicate() is "not implemented"
 * (returns -1) in the GnuTLS build. So after each handshake, and before any
 * byte of the protocol goes over the new TLS stream, the callers take the
 * peer's chain from libetpan (mailstream_get_certificate_chain()) and verify
 * it here with GnuTLS against ca_file or the system trust store, including the
 * host name (RFC 6125, gnutls_x509_trust_list_verify_crt2()). The only thing
 * libetpan lets us set before the handshake is SNI (net_tls_sni()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "mail/lowfd.h"
#include "mail/net.h"
#include "base/banned.h"

static bool addr_is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* Waits for a non-blocking connect(); returns 0 or an errno value. */
static int connect_wait(int fd, int timeout)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int r, soerr = 0;
	socklen_t len = sizeof(soerr);
	do
		r = poll(&pfd, 1, timeout * 1000);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return ETIMEDOUT;
	if (r < 0)
		return errno;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return errno;
	return soerr;
}

/* IPv4 a.b.c.d (host order) outside the public internet: this host (0/8),
   private (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), loopback
   (127/8), link-local (169.254/16), IETF protocol assignments (192.0.0/24),
   benchmarking (198.18/15), multicast and reserved (224/3), broadcast. */
static bool v4_private(uint32_t a)
{
	static const struct {
		uint32_t net, mask;
	} nets[] = {
	    {0x00000000, 0xff000000}, {0x0a000000, 0xff000000}, {0x64400000, 0xffc00000},
	    {0x7f000000, 0xff000000}, {0xa9fe0000, 0xffff0000}, {0xac100000, 0xfff00000},
	    {0xc0000000, 0xffffff00}, {0xc0a80000, 0xffff0000}, {0xc6120000, 0xfffe0000},
	    {0xe0000000, 0xe0000000},
	};
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++)
		if ((a & nets[i].mask) == nets[i].net)
			return true;
	return false;
}

bool net_addr_private(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return v4_private(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
	if (sa->sa_family != AF_INET6)
		return true;
	const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	const unsigned char *b = a->s6_addr;
	if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a) ||
	    (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)) { /* 64:ff9b::/96 */
		uint32_t v4;
		memcpy(&v4, b + 12, 4);
		return v4_private(ntohl(v4));
	}
	return IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_LINKLOCAL(a) ||
	       IN6_IS_ADDR_SITELOCAL(a) || IN6_IS_ADDR_MULTICAST(a) ||
	       (b[0] & 0xfe) == 0xfc ||						 /* ULA fc00::/7 */
	       (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || /* doc */
	       (b[0] == 0x20 && b[1] == 0x02); /* 6to4 wraps any v4 */
}

/* Resolves host:port into *res_r; with public_only, refuses (-1, why) a name
   any of whose addresses is not public, before anything is connected. */
static int resolve(const char *host, int port_no, bool public_only, struct addrinfo **res_r,
		   char *why, size_t whylen)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
	char port[8];
	snprintf(port, sizeof(port), "%d", port_no);
	int gai = getaddrinfo(host, port, &hints, res_r);
	if (gai != 0) {
		if (public_only)
			snprintf(why, whylen, "cannot connect to %s:%d", host, port_no);
		else
			snprintf(why, whylen, "cannot resolve '%s': %s", host, gai_strerror(gai));
		return -1;
	}
	for (struct addrinfo *ai = *res_r; public_only && ai; ai = ai->ai_next)
		if (net_addr_private(ai->ai_addr)) {
			freeaddrinfo(*res_r);
			snprintf(why, whylen,
				 "%s is a private, loopback or otherwise non-public address: "
				 "only an admin may connect a mailbox there",
				 host);
			return -1;
		}
	return 0;
}

int net_check_host(const char *host, int port, char *why, size_t whylen)
{
	struct addrinfo *res;
	if (resolve(host, port, true, &res, why, whylen) < 0)
		return strstr(why, "non-public") ? -1 : 1;
	freeaddrinfo(res);
	return 0;
}

int net_connect(const char *host, int port_no, int timeout, bool public_only, bool *loopback_r,
		char *why, size_t whylen)
{
	struct addrinfo *res, *ai;
	int fd = -1, last = ECONNREFUSED;
	if (resolve(host, port_no, public_only, &res, why, whylen) < 0)
		return -1;
	/* The addresses checked are the ones connected to: no second lookup a
	   rebinding name could answer differently. */
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		int e = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : errno;
		if (e == EINPROGRESS)
			e = connect_wait(fd, timeout);
		if (e != 0) {
			last = e;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd >= 0 && (fd = lowfd_move(fd)) < 0)
		last = errno; /* libetpan's select() cannot take a high descriptor */
	if (fd < 0) {
		/* Refused or timed out tells a port scanner which ports are open. */
		if (public_only)
			snprintf(why, whylen, "cannot connect to %s:%d", host, port_no);
		else
			snprintf(why, whylen, "cannot connect to %s:%d: %s", host, port_no,
				 strerror(last));
		return -1;
	}
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	*loopback_r =
	    getpeername(fd, (struct sockaddr *)&peer, &plen) == 0 && addr_is_loopback(&peer);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		snprintf(why, whylen, "cannot connect to %s:%d: %s", host, port_no, strerror(e));
		return -1;
	}
	return fd;
}

/* Called by libetpan between gnutls_init() and the handshake: sets SNI, which
   RFC 6066 allows only for names, not address literals. */
void net_tls_sni(struct mailstream_ssl_context *ctx, void *data)
{
	const char *host = data;
	unsigned char addr[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1)
		mailstream_ssl_set_server_name(ctx, (char *)host);
}

static int load_trust(const char *ca_file, gnutls_x509_trust_list_t tl, char *why, size_t whylen)
{
	int n = ca_file ? gnutls_x509_trust_list_add_trust_file(tl, ca_file, NULL,
								GNUTLS_X509_FMT_PEM, 0, 0)
			: gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (n > 0)
		return 0;
	snprintf(why, whylen, "no trusted certificates in %s%s%s",
		 ca_file ? "'" : "the system store", ca_file ? ca_file : "", ca_file ? "'" : "");
	return -1;
}

/* Imports the peer's chain (DER, from libetpan) into crts; returns how many. */
static unsigned import_chain(mailstream *stream, gnutls_x509_crt_t *crts)
{
	unsigned char *leaf = NULL;
	unsigned n = 0;
	/* Asked first because libetpan's chain getter returns an uninitialised
	   pointer when the peer sent no certificate; this one returns -1. */
	if (mailstream_ssl_get_certificate(stream, &leaf) < 0) {
		free(leaf);
		return 0;
	}
	free(leaf);
	carray *chain = mailstream_get_certificate_chain(stream);
	for (unsigned i = 0; chain && i < carray_count(chain) && n < NET_MAX_CHAIN; i++) {
		MMAPString *der = carray_get(chain, i);
		gnutls_datum_t d = {(unsigned char *)der->str, (unsigned)der->len};
		if (gnutls_x509_crt_init(&crts[n]) < 0)
			break;
		if (gnutls_x509_crt_import(crts[n], &d, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crts[n]);
			break;
		}
		n++;
	}
	if (chain)
		mailstream_certificate_chain_free(chain);
	return n;
}

int net_tls_verify(mailstream *stream, const char *host, const char *ca_file, char *why,
		   size_t whylen)
{
	gnutls_x509_crt_t crts[NET_MAX_CHAIN];
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_typed_vdata_st vd = {GNUTLS_DT_DNS_HOSTNAME, (unsigned char *)host, 0};
	unsigned status = 0, n = import_chain(stream, crts);
	int rc = -1;

	if (n == 0) {
		snprintf(why, whylen, "%s sent no usable TLS certificate", host);
		return -1;
	}
	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		snprintf(why, whylen, "cannot set up TLS verification");
	} else if (load_trust(ca_file, tl, why, whylen) == 0) {
		int r = gnutls_x509_trust_list_verify_crt2(tl, crts, n, &vd, 1, 0, &status, NULL);
		gnutls_datum_t msg = {NULL, 0};
		if (r < 0) {
			snprintf(why, whylen, "cannot verify the certificate of %s: %s", host,
				 gnutls_strerror(r));
		} else if (status != 0) {
			gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &msg,
								     0);
			size_t wl = msg.data ? strlen((char *)msg.data) : 0;
			while (wl > 0 && msg.data[wl - 1] == ' ')
				msg.data[--wl] = '\0';
			snprintf(why, whylen, "the TLS certificate of %s is not trusted: %s", host,
				 wl ? (char *)msg.data : "verification failed");
			gnutls_free(msg.data);
		} else {
			rc = 0;
		}
	}
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return rc;
}
