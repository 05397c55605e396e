/* The main of a test-suite guest; an archive member, so a guest with its own main never pulls it
 * in. */
#include "guest.h"

int main(void)
{
	return test_run_all() ? 1 : 0;
}
