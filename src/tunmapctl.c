/* SPDX-License-Identifier: ISC */
/*
 * tunmapctl.c: the operator's command line over the control socket of
 * tunmapd(8).  Each request is a connection of its own; the body of the
 * reply is printed as it comes.  "show mappings" and "show bindings"
 * walk the table a page at a time, so that no request holds the daemon's
 * loop for long, whatever the size of the table.  -i names the instance
 * a command concerns by its tun.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "control.h"

#define EXIT_ERROR	1	/* the daemon answered "error" */
#define EXIT_USAGE	2	/* bad usage, or no daemon to talk to */
#define TIMEOUT_SECS	300	/* a reload of a huge table included */

static const struct command {
	const char	*name;
	int		 nargs;		/* words after the name */
	int		 optargs;	/* more words it may take */
	bool		 json;		/* has a JSON form */
	int		 page;		/* rows a page, or 0: not paged */
	bool		 inst;		/* concerns one instance (-i) */
	bool		 all;		/* takes --all */
} commands[] = {
	{ "status", 0, 0, true, 0, true, false },
	{ "stats", 0, 0, true, 0, true, true },
	{ "show mappings", 0, 0, true, CTL_PAGE_MAX, true, false },
	{ "show bindings", 0, 0, true, CTL_BINDINGS_PAGE_MAX, true, false },
	{ "lookup", 1, 1, true, 0, true, false },
	{ "reload", 0, 0, false, 0, false, false },
};

static const char	*sock_path = CONFIG_CTL_SOCKET;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: tunmapctl [-hj] [-i tun] [-s socket] command "
	    "[argument ...]\n"
	    "commands: status | stats [--all]\n"
	    "          | show mappings | show bindings [--offset N] "
	    "[--limit N]\n"
	    "          | lookup address[:port] | lookup address port "
	    "| reload\n");
	exit(EXIT_USAGE);
}

static int
connect_daemon(void)
{
	struct sockaddr_un	 sun;
	struct timeval		 tv = { TIMEOUT_SECS, 0 };
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(sock_path) >= sizeof sun.sun_path)
		errx(EXIT_USAGE, "%s: path too long", sock_path);
	strncpy(sun.sun_path, sock_path, sizeof sun.sun_path - 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(EXIT_USAGE, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1)
		err(EXIT_USAGE, "%s: connect", sock_path);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == -1)
		err(EXIT_USAGE, "%s: setsockopt", sock_path);
	return (fd);
}

/* Send one request line; the whole reply, NUL-terminated. */
static char *
ask(const char *req)
{
	char	*buf = NULL, *nbuf;
	size_t	 len = 0, size = 0;
	ssize_t	 n;
	int	 fd;

	fd = connect_daemon();
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req) ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) != 1)
		err(EXIT_USAGE, "%s: send", sock_path);
	for (;;) {
		if (size - len < 2) {
			size = size == 0 ? 65536 : size * 2;
			if ((nbuf = realloc(buf, size)) == NULL)
				err(EXIT_USAGE, "reply");
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, size - len - 1)) == 0)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			errx(EXIT_USAGE, "%s: no reply in %d seconds",
			    sock_path, TIMEOUT_SECS);
		if (n == -1)
			err(EXIT_USAGE, "%s: read", sock_path);
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (buf);
}

/*
 * The body of a reply that begins with "ok".  After "error: message",
 * print the message and the body to stderr, and exit 1.
 */
static char *
body(char *reply)
{
	char	*nl = strchr(reply, '\n');

	if (nl == NULL)
		errx(EXIT_USAGE, "%s: %s", sock_path, reply[0] == '\0' ?
		    "no reply" : "reply cut short");
	*nl = '\0';
	if (strcmp(reply, "ok") == 0)
		return (nl + 1);
	if (strncmp(reply, "error: ", 7) != 0)
		errx(EXIT_USAGE, "%s: unexpected reply \"%s\"", sock_path,
		    reply);
	fprintf(stderr, "tunmapctl: %s\n%s", reply + 7, nl + 1);
	exit(EXIT_ERROR);
}

/* Page through every row, page rows a request; in JSON, as one array. */
static int
show_all(const char *req, int page, bool json)
{
	char	 line[CTL_LINE_MAX + 1], *reply, *s, *nl;
	size_t	 offset = 0, rows, len;
	bool	 first = true;

	if (json)
		printf("[\n");
	do {
		if (snprintf(line, sizeof line, "%s --offset %zu --limit %d",
		    req, offset, page) >= (int)sizeof line)
			errx(EXIT_USAGE, "request longer than %d bytes",
			    CTL_LINE_MAX);
		reply = ask(line);
		rows = 0;
		for (s = body(reply); *s != '\0'; s = nl + 1) {
			if ((nl = strchr(s, '\n')) == NULL)
				nl = s + strlen(s) - 1;
			*nl = '\0';
			if (json && s[0] != '{')
				continue;
			len = strlen(s);
			if (json && s[len - 1] == ',')
				s[len - 1] = '\0';
			printf("%s%s", json && !first ? ",\n" : "", s);
			if (!json)
				putchar('\n');
			first = false;
			rows++;
		}
		free(reply);
		offset += rows;
	} while (rows == (size_t)page);
	if (json)
		printf("%s]\n", first ? "" : "\n");
	return (0);
}

/* Whether argv begins with the words of name; *nwords says how many. */
static bool
matches(const char *name, int argc, char **argv, int *nwords)
{
	const char	*sp = strchr(name, ' ');
	size_t		 len = sp != NULL ? (size_t)(sp - name) : strlen(name);

	*nwords = sp != NULL ? 2 : 1;
	return (argc >= *nwords && strncmp(argv[0], name, len) == 0 &&
	    argv[0][len] == '\0' && (sp == NULL ||
	    strcmp(argv[1], sp + 1) == 0));
}

/* Append a word to the request line. */
static void
add_word(char *req, size_t size, const char *w)
{
	size_t	len = strlen(req);

	if (w[0] == '\0' || strpbrk(w, " \t\r\n") != NULL)
		errx(EXIT_USAGE, "\"%s\": not a word", w);
	if (snprintf(req + len, size - len, "%s%s", len > 0 ? " " : "", w) >=
	    (int)(size - len))
		errx(EXIT_USAGE, "request longer than %d bytes", CTL_LINE_MAX);
}

/* The command that argv names, or NULL; *nwords: the words of its name. */
static const struct command *
find_command(int argc, char **argv, int *nwords)
{
	size_t	i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (matches(commands[i].name, argc, argv, nwords))
			return (&commands[i]);
	return (NULL);
}

/*
 * The request line of cmd, from the words argv[0..argc) that name it and
 * follow it, into req.  A --json after a paged command sets *json.  Says
 * whether --offset or --limit asks for one page only.
 */
static bool
make_request(const struct command *cmd, int nwords, int argc, char **argv,
    const char *tun, bool *json, char *req, size_t size)
{
	bool	opts = false;
	size_t	i;
	int	w;

	req[0] = '\0';
	for (w = 0; w < nwords + cmd->nargs; w++)
		add_word(req, size - 64, argv[w]);
	for (i = 0; i < (size_t)cmd->optargs && w < argc &&
	    argv[w][0] != '-'; i++)
		add_word(req, size - 64, argv[w++]);
	/* After its arguments, the options of the paged commands, --all. */
	for (; w < argc; w++) {
		if (strcmp(argv[w], "--json") == 0 && cmd->page > 0)
			*json = true;
		else if (strcmp(argv[w], "--all") == 0 && cmd->all &&
		    tun == NULL)
			add_word(req, size - 64, argv[w]);
		else if (cmd->page > 0 && w + 1 < argc &&
		    (strcmp(argv[w], "--offset") == 0 ||
		    strcmp(argv[w], "--limit") == 0)) {
			add_word(req, size - 64, argv[w++]);
			add_word(req, size - 64, argv[w]);
			opts = true;
		} else
			usage();
	}
	if (tun != NULL) {
		add_word(req, size - 32, "--instance");
		add_word(req, size - 32, tun);
	}
	if (*json && cmd->json)
		add_word(req, size, "--json");
	return (opts);
}

int
main(int argc, char *argv[])
{
	const struct command	*cmd;
	char			 req[CTL_LINE_MAX + 1], *reply;
	const char		*tun = NULL;
	bool			 json = false, opts;
	int			 ch, nwords = 0;

	while ((ch = getopt(argc, argv, "+hi:js:")) != -1) {
		switch (ch) {
		case 'i':
			tun = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 's':
			sock_path = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	cmd = find_command(argc, argv, &nwords);
	if (cmd == NULL || argc < nwords + cmd->nargs || (tun != NULL &&
	    !cmd->inst))
		usage();
	opts = make_request(cmd, nwords, argc, argv, tun, &json, req,
	    sizeof req);
	if (cmd->page > 0 && !opts)
		return (show_all(req, cmd->page, json && cmd->json));
	reply = ask(req);
	fputs(body(reply), stdout);
	free(reply);
	return (0);
}
