/*
 * Running QEMU: see run.h.
 *
 * facet stays QEMU's parent instead of exec'ing it, to enforce --timeout and
 * to remove the temporary boot image afterwards. While it waits it ignores
 * SIGINT and SIGQUIT, as system(3) does: with -serial stdio QEMU owns the
 * terminal and decides what Ctrl-C means. SIGTERM and SIGHUP are passed on.
 * Every signal is blocked except inside sigsuspend, so none is lost between
 * checking for it and waiting.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

/* After SIGTERM on timeout, QEMU gets this long to exit before SIGKILL. */
#define RUN_KILL_GRACE_SEC 5

static volatile sig_atomic_t got_alarm, got_signal;

static void on_signal(int sig)
{
	if (sig == SIGALRM)
		got_alarm = 1;
	else if (sig != SIGCHLD)
		got_signal = sig;
}

char *run_find_facet_bin(void)
{
	const char *env = getenv("FACET_BIN");
	char self[PATH_MAX];
	char *path, *slash;
	ssize_t n;

	if (env && env[0]) {
		path = strdup(env);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			fprintf(stderr, "facet: /proc/self/exe: %s (set FACET_BIN)\n",
				strerror(errno));
			return NULL;
		}
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash)
			slash[1] = '\0';
		path = malloc(strlen(self) + sizeof("facet.bin"));
		if (path)
			strcat(strcpy(path, self), "facet.bin");
	}
	if (!path) {
		fputs("facet: out of memory\n", stderr);
		return NULL;
	}
	if (access(path, R_OK) < 0) {
		fprintf(stderr, "facet: %s: %s (build it with 'make hyp', or set FACET_BIN)\n",
			path, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

/* Prints argv as a command a shell would run the same way. */
static void print_command(char *const *argv)
{
	fputs("facet:", stderr);
	for (; *argv; argv++) {
		const char *a = *argv;

		if (a[0] && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789-_=+,./:@%") == strlen(a)) {
			fprintf(stderr, " %s", a);
			continue;
		}
		fputs(" '", stderr);
		for (; *a; a++) {
			if (*a == '\'')
				fputs("'\\''", stderr);
			else
				fputc(*a, stderr);
		}
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
}

static int wait_for(pid_t pid, unsigned timeout_sec, const sigset_t *waitmask)
{
	int status, killed_by_timeout = 0;

	if (timeout_sec)
		alarm(timeout_sec);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("facet: waitpid");
			return 1;
		}
		if (got_alarm) {
			got_alarm = 0;
			/* First the polite signal, so QEMU restores the terminal; then SIGKILL. */
			kill(pid, killed_by_timeout ? SIGKILL : SIGTERM);
			if (!killed_by_timeout)
				fprintf(stderr, "facet: timeout after %u s, stopping QEMU\n",
					timeout_sec);
			killed_by_timeout = 1;
			alarm(RUN_KILL_GRACE_SEC);
		}
		if (got_signal) {
			kill(pid, got_signal);
			got_signal = 0;
		}
		sigsuspend(waitmask);
	}
	alarm(0);
	if (killed_by_timeout)
		return RUN_TIMEOUT_STATUS;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* The QEMU command line: the machine facet targets, then the user's arguments. */
static char **qemu_argv(const struct run_opts *o, const char *facet_bin, const char *boot_image,
			const char *smp, const char *mem)
{
	const char *qemu = getenv("FACET_QEMU");
	const char *const pairs[][2] = {
	    {"-M", "virt,virtualization=on,gic-version=3"}, /* EL2 and GICv3: include/abi/board.h */
	    {"-cpu", o->cpu},
	    {"-smp", smp},
	    {"-m", mem},
	    {"-display", "none"},
	    {"-monitor", "none"},
	    {"-serial", "stdio"},
	    /* No NIC: facet drives none, and its option ROM may not be installed. */
	    {"-nic", "none"},
	    {"-kernel", facet_bin},
	    {"-initrd", boot_image},
	};
	size_t npairs = sizeof(pairs) / sizeof(pairs[0]), n = 0;
	char **argv = calloc(1 + 2 * npairs + (size_t)o->nqemu_args + 1, sizeof(*argv));

	if (!argv)
		return NULL;
	argv[n++] = (char *)(qemu && qemu[0] ? qemu : "qemu-system-aarch64");
	for (size_t i = 0; i < npairs; i++) {
		argv[n++] = (char *)pairs[i][0];
		argv[n++] = (char *)pairs[i][1];
	}
	for (int i = 0; i < o->nqemu_args; i++)
		argv[n++] = o->qemu_args[i];
	return argv;
}

int run_qemu(const struct run_opts *o, const char *facet_bin, const char *boot_image)
{
	char smp[16], mem[32];
	char **argv;
	struct sigaction sa = {.sa_handler = on_signal}, ign = {.sa_handler = SIG_IGN};
	struct sigaction old_int, old_quit;
	sigset_t block, oldmask;
	const char *verbose = getenv("FACET_VERBOSE");
	pid_t pid;
	int rc;

	snprintf(smp, sizeof(smp), "%u", o->smp);
	snprintf(mem, sizeof(mem), "%lu", o->mem_mib);
	argv = qemu_argv(o, facet_bin, boot_image, smp, mem);
	if (!argv) {
		fputs("facet: out of memory\n", stderr);
		return 1;
	}

	if (verbose && strcmp(verbose, "1") == 0)
		print_command(argv);
	fflush(NULL);

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGALRM);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);

	pid = fork();
	if (pid == 0) {
		struct sigaction dfl = {.sa_handler = SIG_DFL};

		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGQUIT, &dfl, NULL);
		sigaction(SIGTERM, &dfl, NULL);
		sigaction(SIGHUP, &dfl, NULL);
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "facet: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		perror("facet: fork");
		rc = 1;
	} else {
		sigset_t waitmask = oldmask;

		sigdelset(&waitmask, SIGCHLD);
		sigdelset(&waitmask, SIGALRM);
		sigdelset(&waitmask, SIGTERM);
		sigdelset(&waitmask, SIGHUP);
		rc = wait_for(pid, o->timeout_sec, &waitmask);
	}

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	free(argv);
	return rc;
}
