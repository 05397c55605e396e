/*
 * Test cases. TEST(name) { ... } adds a case to the image (linker section
 * guest_tests, in file order); the library's main runs every case on CPU 0
 * and prints
 *   TEST <name>: PASS            or   TEST <name>: FAIL <reason>
 *   FACET-GUEST <image> DONE passed=N failed=M
 * then powers off. Boot argument guest.test=<substring> runs a subset.
 *
 * A failed CHECK on CPU 0 ends the case at once. On another CPU it records
 * the failure and carries on (CPU 0 sees it when the case ends). An
 * unexpected exception fails the case the same way (a secondary CPU that
 * takes one turns itself off).
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include "base.h"
#include "exception.h"

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST(name)                                                                                 \
	static void test_fn_##name(void);                                                          \
	static const struct test_case test_case_##name                                             \
	    __attribute__((used, section("guest_tests"), aligned(8))) = {#name, test_fn_##name};   \
	static void test_fn_##name(void)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			test_fail_at(__FILE__, __LINE__, "%s", #cond);                             \
	} while (0)

#define CHECK_MSG(cond, ...)                                                                       \
	do {                                                                                       \
		if (!(cond))                                                                       \
			test_fail_at(__FILE__, __LINE__, __VA_ARGS__);                             \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b);                       \
		if (check_a_ != check_b_)                                                          \
			test_fail_at(__FILE__, __LINE__, "%s == %s: 0x%lx != 0x%lx", #a, #b,       \
				     check_a_, check_b_);                                          \
	} while (0)

/* Records a failure (the first reason is kept); on CPU 0 inside a case, ends it. */
void test_fail_at(const char *file, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);
bool test_failed(void);
/* Runs every case; returns the number that failed. */
unsigned test_run_all(void);
/*
 * For exception.c: fails the running case after an unexpected exception.
 * False if no case is running; otherwise the frame now resumes in the runner.
 */
bool test_abort_from_exception(struct exc_frame *f, const char *reason);

#endif
