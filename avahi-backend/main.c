/*
 * dots-avahi: browse mode (default) writes the DOTS instances found over mDNS
 * to DIR/mdns.state for the NSS module; --publish advertises one instance.
 * SIGTERM/SIGINT end either mode cleanly (state removed, records withdrawn).
 * Exit: 0 clean shutdown, 1 runtime error, 2 bad usage.
 */
#include "dnssd_state.h"
#include "dots-avahi.h"

#include <avahi-common/simple-watch.h>
#include <bsd/string.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#define DEFAULT_EXPIRY_S 60
#define MAX_EXPIRY_S 86400

static bool foreground;

void dav_log(int prio, const char *fmt, ...)
{
	va_list ap;
	if (foreground && prio != LOG_DEBUG) {
		va_start(ap, fmt);
		fputs("dots-avahi: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
	va_start(ap, fmt);
	vsyslog(prio, fmt, ap);
	va_end(ap);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dots-avahi [OPTION]...\n"
		"       dots-avahi --publish NAME [--type TYPE]... [--port PORT]\n"
		"                  [--host HOST.local [--address ADDR]...] [--interface IF]\n"
		"Browse the DOTS DNS-SD service types over mDNS (RFC 8973 §7) through\n"
		"avahi-daemon and hand what is found to the libnss-dots module in\n"
		"DIR/" DNSSD_STATE_FILE "; or, with --publish, advertise a DOTS service.\n\n"
		"  -f, --foreground        do not detach; log to stderr too\n"
		"  -s, --state-dir DIR     instead of $DOTS_STATE_DIR or " DOTS_STATE_DIR "\n"
		"  -c, --conf FILE         dots.conf for `interface` lines (default $DOTS_CONF\n"
		"                          or " DOTS_CONF_PATH ")\n"
		"  -i, --interface IF      only this interface (repeatable; default: dots.conf\n"
		"                          `interface` lines, else every interface)\n"
		"  -e, --expiry SECS       the module ignores the data SECS after the last\n"
		"                          heartbeat (default %d; one every SECS/3)\n"
		"  -p, --publish NAME      publish instance NAME instead of browsing\n"
		"  -t, --type TYPE         service type to publish (repeatable; default\n"
		"                          _dots-signal._udp); one of:",
		DEFAULT_EXPIRY_S);
	for (size_t i = 0; i < DNSSD_SERVICE_COUNT; i++)
		fprintf(f, "%s%s", i % 3 ? " " : "\n                            ",
			dnssd_services[i].type);
	fprintf(f,
		"\n"
		"  -P, --port PORT         port (default: 4646 signal, 443 data,\n"
		"                          dots.conf call-home-port for Call Home)\n"
		"  -H, --host HOST         target host (default: this host)\n"
		"  -a, --address ADDR      publish ADDR for HOST (repeatable)\n"
		"  -h, --help              this help\n"
		"  -V, --version           the version\n");
}

static bool parse_number(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max || *s == '-')
		return false;
	*out = v;
	return true;
}

struct args {
	const char *state_dir, *conf_path;
	unsigned expiry_s;
	struct dav_browse_opts browse;
	struct dav_publish_opts publish;
	bool publishing;
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "dots-avahi: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'dots-avahi --help'.\n");
	return 2;
}

/* 0 to run, else the exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{"foreground", no_argument, NULL, 'f'},   {"state-dir", required_argument, NULL, 's'},
		{"conf", required_argument, NULL, 'c'},   {"interface", required_argument, NULL, 'i'},
		{"expiry", required_argument, NULL, 'e'}, {"publish", required_argument, NULL, 'p'},
		{"type", required_argument, NULL, 't'},   {"port", required_argument, NULL, 'P'},
		{"host", required_argument, NULL, 'H'},   {"address", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	unsigned long v;
	int c;
	a->expiry_s = DEFAULT_EXPIRY_S;
	a->publish.ifindex = -1; /* AVAHI_IF_UNSPEC */
	while ((c = getopt_long(argc, argv, "fs:c:i:e:p:t:P:H:a:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			foreground = true;
			break;
		case 's':
			a->state_dir = optarg;
			break;
		case 'c':
			a->conf_path = optarg;
			break;
		case 'i':
			if (a->browse.nifnames == DOTS_CONF_MAX_INTERFACES)
				return usage_error("too many interfaces%s", "");
			if (!*optarg || strlcpy(a->browse.ifnames[a->browse.nifnames++], optarg,
						IF_NAMESIZE) >= IF_NAMESIZE)
				return usage_error("'%s' is not an interface name", optarg);
			break;
		case 'e':
			if (!parse_number(optarg, 2, MAX_EXPIRY_S, &v))
				return usage_error("--expiry takes seconds, 2 to 86400, not '%s'", optarg);
			a->expiry_s = (unsigned)v;
			break;
		case 'p':
			a->publishing = true;
			a->publish.name = optarg;
			if (!*optarg || strlen(optarg) > DNSSD_INSTANCE_MAX)
				return usage_error("instance name '%s' must be 1 to 63 octets", optarg);
			break;
		case 't': {
			const struct dnssd_service *s = dnssd_service_find(optarg);
			if (!s)
				return usage_error("'%s' is not a DOTS service type", optarg);
			if (a->publish.ntypes < DNSSD_SERVICE_COUNT)
				a->publish.types[a->publish.ntypes++] = s;
			break;
		}
		case 'P':
			if (!parse_number(optarg, 1, 65535, &v))
				return usage_error("'%s' is not a port number", optarg);
			a->publish.port = (uint16_t)v;
			break;
		case 'H':
			a->publish.host = optarg;
			break;
		case 'a':
			if (a->publish.naddrs == DAV_PUBLISH_MAX_ADDRS)
				return usage_error("too many addresses%s", "");
			a->publish.addrs[a->publish.naddrs++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			printf("dots-avahi " DOTS_VERSION "\n");
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!a->publishing && (a->publish.ntypes || a->publish.port || a->publish.host ||
			       a->publish.naddrs))
		return usage_error("%s--type, --port, --host and --address need --publish", "");
	if (a->publish.naddrs && !a->publish.host)
		return usage_error("%s--address needs --host", "");
	if (a->publishing && a->browse.nifnames > 1)
		return usage_error("%s--publish takes at most one --interface", "");
	return 0;
}

/* dots.conf supplies the Call Home port and, unless given, the interfaces. */
static void apply_conf(struct args *a)
{
	const char *path = a->conf_path ? a->conf_path : dots_conf_path();
	struct dots_conf *conf;
	a->publish.call_home_port = DOTS_PORT_CALL_HOME;
	if (dots_conf_load(path, &conf, NULL, NULL) == DOTS_ERROR) {
		dav_log(LOG_WARNING, "%s has errors (see dots-discover --check); ignoring it", path);
		return;
	}
	a->publish.call_home_port = conf->call_home_port;
	if (a->browse.nifnames == 0) {
		for (size_t i = 0; i < conf->ninterfaces; i++)
			strlcpy(a->browse.ifnames[i], conf->interfaces[i], IF_NAMESIZE);
		a->browse.nifnames = conf->ninterfaces;
	}
	free(conf);
}

static void on_signal(AvahiWatch *w, int fd, AvahiWatchEvent ev, void *ud)
{
	(void)w, (void)ev;
	struct signalfd_siginfo si;
	if (read(fd, &si, sizeof si) == (ssize_t)sizeof si)
		dav_log(LOG_INFO, "signal %u: shutting down", si.ssi_signo);
	avahi_simple_poll_quit(ud);
}

static int make_dir(const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		dav_log(LOG_ERR, "cannot create %s: %m", dir);
		return 1;
	}
	return 0;
}

/* DIR/mdns.state and DIR/mdns.d/alive, their directories created. */
static int state_paths(const struct args *a, char *list, char *heartbeat, size_t len)
{
	const char *dir = a->state_dir ? a->state_dir : dots_state_dir();
	char sub[4096];
	if ((size_t)snprintf(list, len, "%s/%s", dir, DNSSD_STATE_FILE) >= len ||
	    (size_t)snprintf(heartbeat, len, "%s/%s", dir, DNSSD_HEARTBEAT_FILE) >= len ||
	    (size_t)snprintf(sub, sizeof sub, "%s/%s", dir, DNSSD_HEARTBEAT_DIR) >= sizeof sub) {
		dav_log(LOG_ERR, "state directory path too long");
		return 1;
	}
	return make_dir(dir) || make_dir(sub);
}

int main(int argc, char **argv)
{
	struct args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	openlog("dots-avahi", LOG_PID, LOG_DAEMON);
	apply_conf(&a);
	if (a.publishing) {
		if (a.publish.ntypes == 0)
			a.publish.types[a.publish.ntypes++] = &dnssd_services[0];
		if (a.browse.nifnames &&
		    !(a.publish.ifindex = (int)if_nametoindex(a.browse.ifnames[0]))) {
			dav_log(LOG_ERR, "no interface '%s'", a.browse.ifnames[0]);
			return 1;
		}
	}

	char path[4096], heartbeat[4096];
	if (!a.publishing && state_paths(&a, path, heartbeat, sizeof path))
		return 1;
	a.browse.state_path = path;
	a.browse.heartbeat_path = heartbeat;
	a.browse.expiry_s = a.expiry_s;
	if (!foreground && daemon(0, 0) != 0) {
		dav_log(LOG_ERR, "daemon: %m");
		return 1;
	}

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	AvahiSimplePoll *sp = avahi_simple_poll_new();
	if (sfd < 0 || !sp) {
		dav_log(LOG_ERR, "cannot set up the event loop");
		return 1;
	}
	const AvahiPoll *poll = avahi_simple_poll_get(sp);
	AvahiWatch *sw = poll->watch_new(poll, sfd, AVAHI_WATCH_IN, on_signal, sp);

	struct dav_browse *browse = NULL;
	struct dav_publish *publish = NULL;
	struct dav_link link;
	if (a.publishing ? !(publish = dav_publish_new(&a.publish))
			 : !(browse = dav_browse_new(poll, &a.browse))) {
		dav_log(LOG_ERR, "out of memory");
		return 1;
	}
	dav_link_start(&link, poll, a.publishing ? &dav_publish_ops : &dav_browse_ops,
		       a.publishing ? (void *)publish : (void *)browse);
	dav_log(LOG_INFO, "%s%s", a.publishing ? "publishing " : "browsing; state in ",
		a.publishing ? a.publish.name : path);

	rc = avahi_simple_poll_loop(sp) < 0 ? 1 : 0;

	dav_link_stop(&link);
	dav_browse_free(browse);
	dav_publish_free(publish);
	poll->watch_free(sw);
	avahi_simple_poll_free(sp);
	close(sfd);
	return rc;
}
