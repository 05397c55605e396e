/* Command-line option matching shared by the facet subcommands. */
#ifndef FACET_TOOL_CLI_H
#define FACET_TOOL_CLI_H

/*
 * Matches "NAME VALUE" or "NAME=VALUE" at argv[*i] (advancing *i past the
 * value). Returns 1 with *value set, 0 if argv[*i] is something else, -1 if
 * the value is missing.
 */
int cli_option(int argc, char **argv, int *i, const char *name, const char **value);

#endif
