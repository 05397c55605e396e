/*
 * The persona-package commands of the host tool: keygen, pack --persona,
 * sign, inspect, verify (docs/persona-format.md, "Tools").
 */
#ifndef FACET_TOOL_PERSONA_CMD_H
#define FACET_TOOL_PERSONA_CMD_H

/* Lines for the tool's usage text. */
extern const char persona_cmd_synopsis[];
extern const char persona_cmd_details[];

/*
 * Runs cmd if it is a persona command ("pack" only with --persona among its
 * arguments) with the arguments after it. Returns its exit status (0 ok,
 * 1 a bad file or package, 2 wrong usage), or -1 if cmd is not one of these.
 */
int persona_cmd_dispatch(const char *cmd, int argc, char **argv);

#endif
