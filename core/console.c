/*
 * Console multiplexing. Each VM's output is line-buffered, so lines from
 * different VMs never interleave, and every physical line names its writer.
 * The VM with focus also shows a partial line (a shell prompt, typed
 * characters echoed) as soon as it goes idle; that line stays open until
 * another writer needs the console, and is continued with its prefix again.
 */
#include "core/console.h"
#include "core/log.h"
#include "core/spinlock.h"
#include "core/vm.h"
#include "drivers/pl011.h"

static spinlock_t console_lock = SPINLOCK_INIT;
static struct vm *line_owner; /* VM whose line is open on the console */
static struct vm *focus;
static unsigned switch_presses;

static void out(const char *s)
{
	while (*s)
		pl011_putc((uint8_t)*s++);
}

static void close_open_line(void)
{
	if (line_owner) {
		out("\r\n");
		line_owner->line_open = false;
		line_owner = NULL;
	}
}

void console_hyp_line(const char *text)
{
	spin_lock(&console_lock);
	close_open_line();
	out("(facet) ");
	out(text);
	out("\r\n");
	spin_unlock(&console_lock);
}

/*
 * Print vm's buffered line: whole (newline), or as far as it goes, left
 * open. An open line another writer interrupted is printed again from its
 * start, so each physical line shows the VM's line as it stands.
 */
static void flush_line(struct vm *vm, bool newline)
{
	if (line_owner != vm)
		close_open_line();
	if (!vm->line_open) {
		out("[");
		out(vm->name);
		out("] ");
		vm->shown = 0;
	}
	for (unsigned i = vm->shown; i < vm->linelen; i++)
		pl011_putc((uint8_t)vm->linebuf[i]);
	vm->shown = vm->linelen;
	if (newline) {
		out("\r\n");
		vm->line_open = false;
		vm->linelen = vm->shown = 0;
		line_owner = NULL;
	} else {
		vm->line_open = true;
		line_owner = vm;
	}
}

void console_vm_putc(struct vm *vm, uint8_t c)
{
	spin_lock(&console_lock);
	if (c == '\n') {
		flush_line(vm, true);
	} else if (c != '\r') { /* lines end in "\r\n" on the console whatever the guest sends */
		vm->linebuf[vm->linelen++] = (char)c;
		if (vm->linelen == sizeof(vm->linebuf))
			flush_line(vm, true);
	}
	spin_unlock(&console_lock);
}

void console_vm_idle(struct vm *vm)
{
	spin_lock(&console_lock);
	if (vm == focus && vm->linelen > (line_owner == vm ? vm->shown : 0))
		flush_line(vm, false);
	spin_unlock(&console_lock);
}

void console_focus_next(struct vm *from)
{
	unsigned start = from ? from->id : 0; /* vms[id] follows vms[id - 1] */
	struct vm *next = NULL;
	for (unsigned i = 0; i < nr_vms && !next; i++) {
		struct vm *vm = &vms[(start + i) % nr_vms];
		if (vm->state != VM_OFF)
			next = vm;
	}
	if (!next)
		return;
	log_printf("console focus: %s (Ctrl-a three times to switch)", next->name);
	spin_lock(&console_lock);
	focus = next;
	if (next->linelen)
		flush_line(next, false); /* its prompt, typically */
	spin_unlock(&console_lock);
}

void console_input(uint8_t c)
{
	if (c == CONSOLE_SWITCH_CHAR) {
		if (++switch_presses == CONSOLE_SWITCH_COUNT) {
			switch_presses = 0;
			console_focus_next(focus);
		}
		return;
	}
	struct vm *vm = focus;
	if (!vm || vm->state != VM_RUNNING)
		return;
	spin_lock(&vm->lock);
	/* Ctrl-a presses that did not make a switch belong to the guest. */
	for (; switch_presses; switch_presses--)
		if (vpl011_rx_space(&vm->uart))
			vpl011_rx_push(&vm->uart, CONSOLE_SWITCH_CHAR);
	/* A full receive FIFO drops the byte, as a real UART would (overrun). */
	vpl011_rx_push(&vm->uart, c);
	spin_unlock(&vm->lock);
}
