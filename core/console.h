/*
 * The shared physical console. Every line a VM prints is shown as
 * "[<vm>] <text>"; the hypervisor's own lines as "(facet) <text>". Input goes
 * to the VM that has focus; Ctrl-a pressed three times moves focus to the
 * next running VM (as Xen's console does), announced as
 * "(facet) console focus: <vm>". A VM's lines are whole: a partial line is
 * shown only for the VM with focus, when it goes idle.
 */
#ifndef FACET_CORE_CONSOLE_H
#define FACET_CORE_CONSOLE_H

#include <stdint.h>

struct vm;

#define CONSOLE_SWITCH_CHAR 0x01 /* Ctrl-a */
#define CONSOLE_SWITCH_COUNT 3

void console_hyp_line(const char *text);
void console_vm_putc(struct vm *vm, uint8_t c);
/* vm has nothing more to say for now (a vCPU waits): show its partial line if it has focus. */
void console_vm_idle(struct vm *vm);
/* Bytes typed on the physical console (called from the UART interrupt). */
void console_input(uint8_t c);
/* Give focus to the first running VM after vm (or the first, if vm is NULL). */
void console_focus_next(struct vm *vm);

#endif
