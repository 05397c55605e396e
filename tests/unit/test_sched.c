/*
 * Unit tests for core/sched.c, the scheduling policy: which pCPU a vCPU is
 * pinned to, which vCPU a pCPU runs next, and when a blocked (WFI) vCPU
 * wakes. Only the plain-C policy is tested: nothing here takes a lock or
 * calls this_pcpu().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sched.h"
#include "core/vm.h"

#define NR_VCPUS 6

struct fixture {
	struct vm vm, other_vm;
	struct vcpu v[NR_VCPUS];
	struct pcpu p;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->vm.state = VM_RUNNING;
	f->other_vm.state = VM_RUNNING;
	for (unsigned i = 0; i < NR_VCPUS; i++) {
		f->v[i].vm = &f->vm;
		f->v[i].id = i;
		f->v[i].power = VCPU_ON;
		f->v[i].wake_at = SCHED_NEVER;
		f->v[i].pcpu = &f->p;
		f->p.vcpus[f->p.nr_vcpus++] = &f->v[i];
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void block(struct vcpu *v, uint64_t wake_at)
{
	v->blocked = true;
	v->wake_at = wake_at;
}

/* Picks and makes the pick current, as the pCPU's loop does; returns its index or -1. */
static int pick(struct fixture *f, uint64_t now)
{
	struct vcpu *v = sched_pick(&f->p, f->p.current, now);

	if (!v)
		return -1;
	assert_true(v >= f->v && v < f->v + NR_VCPUS);
	f->p.current = v;
	return (int)(v - f->v);
}

static void test_runnable(void **state)
{
	struct fixture *f = *state;
	struct vcpu *v = &f->v[0];

	assert_true(sched_runnable(v));
	v->power = VCPU_OFF;
	assert_false(sched_runnable(v));
	v->power = VCPU_ON;
	v->blocked = true;
	assert_false(sched_runnable(v));
	v->blocked = false;
	f->vm.state = VM_STOPPING;
	assert_false(sched_runnable(v));
	f->vm.state = VM_OFF;
	assert_false(sched_runnable(v));
	f->vm.state = VM_RUNNING;
	/* Being loaded right now does not change the policy's answer. */
	v->running = true;
	assert_true(sched_runnable(v));
}

static void test_assign_balances(void **state)
{
	struct pcpu p[3] = {{.id = 0}, {.id = 1}, {.id = 2}};
	struct pcpu *const pcpus[] = {&p[0], &p[1], &p[2]};
	struct vcpu v[7] = {0};
	/* Least loaded first, the lowest index on a tie. */
	static const unsigned want[] = {0, 1, 2, 0, 1, 2, 0};

	for (unsigned i = 0; i < 7; i++) {
		struct pcpu *got = sched_assign(pcpus, 3, &v[i]);

		assert_ptr_equal(got, &p[want[i]]);
		assert_ptr_equal(v[i].pcpu, got);
		assert_ptr_equal(got->vcpus[got->nr_vcpus - 1], &v[i]);
	}
	assert_int_equal(p[0].nr_vcpus, 3);
	assert_int_equal(p[1].nr_vcpus, 2);
	assert_int_equal(p[2].nr_vcpus, 2);
	assert_ptr_equal(p[0].vcpus[0], &v[0]);
	assert_ptr_equal(p[0].vcpus[1], &v[3]);
	assert_ptr_equal(p[0].vcpus[2], &v[6]);
	assert_ptr_equal(p[2].vcpus[1], &v[5]);
}

static void test_assign_uneven_start(void **state)
{
	struct pcpu p[3] = {{.nr_vcpus = 4}, {.nr_vcpus = 2}, {.nr_vcpus = 3}};
	struct pcpu *const pcpus[] = {&p[0], &p[1], &p[2]};
	struct vcpu v[4] = {0};

	/* Loads after each: */
	assert_ptr_equal(sched_assign(pcpus, 3, &v[0]), &p[1]); /* 4 3 3 */
	assert_ptr_equal(sched_assign(pcpus, 3, &v[1]), &p[1]); /* 4 4 3: p1 first of the least */
	assert_ptr_equal(sched_assign(pcpus, 3, &v[2]), &p[2]); /* 4 4 4 */
	assert_ptr_equal(sched_assign(pcpus, 3, &v[3]), &p[0]); /* 5 4 4 */
	assert_int_equal(p[0].nr_vcpus, 5);
	assert_int_equal(p[1].nr_vcpus, 4);
	assert_int_equal(p[2].nr_vcpus, 4);
	assert_ptr_equal(p[1].vcpus[2], &v[0]);
	assert_ptr_equal(p[1].vcpus[3], &v[1]);
	/* Only the first nr pCPUs are considered. */
	p[2].nr_vcpus = 0;
	assert_ptr_equal(sched_assign(pcpus, 2, &v[0]), &p[1]);
	assert_int_equal(p[2].nr_vcpus, 0);
}

static void test_assign_full(void **state)
{
	struct pcpu p[2] = {{.nr_vcpus = MAX_VCPUS_PER_PCPU}, {.nr_vcpus = MAX_VCPUS_PER_PCPU - 1}};
	struct pcpu *const pcpus[] = {&p[0], &p[1]};
	struct vcpu a = {0}, b = {0};
	struct pcpu other = {0}, *sentinel = &other;

	assert_ptr_equal(sched_assign(pcpus, 2, &a), &p[1]);
	assert_int_equal(p[1].nr_vcpus, MAX_VCPUS_PER_PCPU);
	b.pcpu = sentinel;
	assert_null(sched_assign(pcpus, 2, &b));
	assert_ptr_equal(b.pcpu, sentinel);
	assert_int_equal(p[0].nr_vcpus, MAX_VCPUS_PER_PCPU);
	assert_int_equal(p[1].nr_vcpus, MAX_VCPUS_PER_PCPU);
	/* No pCPUs at all. */
	assert_null(sched_assign(pcpus, 0, &b));
}

static void test_pick_round_robin(void **state)
{
	struct fixture *f = *state;

	/* Idle: starts at the first. */
	for (unsigned round = 0; round < 3; round++)
		for (int i = 0; i < NR_VCPUS; i++)
			assert_int_equal(pick(f, 0), i);
	/* From the middle: the one after current, wrapping around. */
	f->p.current = &f->v[3];
	assert_int_equal(pick(f, 0), 4);
	assert_int_equal(pick(f, 0), 5);
	assert_int_equal(pick(f, 0), 0);
}

/* pick does not change current itself: the caller loads what it returns. */
static void test_pick_leaves_current(void **state)
{
	struct fixture *f = *state;

	f->p.current = &f->v[1];
	assert_ptr_equal(sched_pick(&f->p, f->p.current, 0), &f->v[2]);
	assert_ptr_equal(f->p.current, &f->v[1]);
	assert_ptr_equal(sched_pick(&f->p, f->p.current, 0), &f->v[2]);
}

/*
 * Regression: the pCPU unloads the vCPU that ran (current becomes NULL)
 * before it picks again; the rotation must still go on after that vCPU,
 * or a busy vCPU at the head of the list is picked forever.
 */
static void test_pick_after_unloaded_vcpu(void **state)
{
	struct fixture *f = *state;

	f->p.current = NULL;
	assert_ptr_equal(sched_pick(&f->p, &f->v[1], 0), &f->v[2]);
	assert_ptr_equal(sched_pick(&f->p, &f->v[NR_VCPUS - 1], 0), &f->v[0]);
	assert_ptr_equal(sched_pick(&f->p, NULL, 0), &f->v[0]);
}

/* A current vCPU that is not among the pCPU's (moved away, or stale) starts the scan at 0. */
static void test_pick_foreign_current(void **state)
{
	struct fixture *f = *state;
	struct vcpu stranger = {.vm = &f->vm, .power = VCPU_ON};

	f->p.current = &stranger;
	assert_int_equal(pick(f, 0), 0);
}

static void test_pick_skips_unrunnable(void **state)
{
	struct fixture *f = *state;

	f->v[1].power = VCPU_OFF;
	f->v[2].vm = &f->other_vm;
	f->other_vm.state = VM_STOPPING;
	block(&f->v[3], 1000);
	f->v[5].vm = &f->other_vm;
	for (unsigned round = 0; round < 3; round++) {
		assert_int_equal(pick(f, 10), 0);
		assert_int_equal(pick(f, 10), 4);
	}
	/* A VM that finished stopping stays off the CPU; one that runs again is back. */
	f->other_vm.state = VM_OFF;
	assert_int_equal(pick(f, 10), 0);
	assert_int_equal(pick(f, 10), 4);
	f->other_vm.state = VM_RUNNING;
	assert_int_equal(pick(f, 10), 5);
	assert_int_equal(pick(f, 10), 0);
	assert_int_equal(pick(f, 10), 2);
}

/* An OFF vCPU is never picked, even with a deadline that has passed. */
static void test_pick_never_off(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < NR_VCPUS; i++)
		f->v[i].power = VCPU_OFF;
	block(&f->v[2], 5);
	assert_null(sched_pick(&f->p, f->p.current, 0));
	assert_null(sched_pick(&f->p, f->p.current, 100));
	assert_null(sched_pick(&f->p, f->p.current, SCHED_NEVER - 1));
}

static void test_pick_only_current(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < NR_VCPUS; i++)
		if (i != 3)
			f->v[i].power = VCPU_OFF;
	f->p.current = &f->v[3];
	assert_ptr_equal(sched_pick(&f->p, f->p.current, 0), &f->v[3]);
	/* The same when the others are blocked or their VM is stopping. */
	f->v[0].power = VCPU_ON;
	block(&f->v[0], 50);
	f->v[5].power = VCPU_ON;
	f->v[5].vm = &f->other_vm;
	f->other_vm.state = VM_STOPPING;
	assert_ptr_equal(sched_pick(&f->p, f->p.current, 49), &f->v[3]);
}

static void test_pick_none(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < NR_VCPUS; i++)
		block(&f->v[i], 100 + i);
	/* The current vCPU among them: it went into WFI. */
	f->p.current = &f->v[2];
	assert_null(sched_pick(&f->p, f->p.current, 99));
	for (unsigned i = 0; i < NR_VCPUS; i++)
		assert_true(f->v[i].blocked);
	/* All woken, but their VM is stopping. */
	f->vm.state = VM_STOPPING;
	assert_null(sched_pick(&f->p, f->p.current, 200));
	/* An empty pCPU. */
	struct pcpu empty = {0};
	assert_null(sched_pick(&empty, NULL, 0));
}

static void test_pick_wakes_on_deadline(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < NR_VCPUS; i++)
		if (i != 0 && i != 4)
			f->v[i].power = VCPU_OFF;
	block(&f->v[4], 1000);
	f->p.current = &f->v[0];

	/* Before the deadline: skipped, still blocked. */
	assert_int_equal(pick(f, 0), 0);
	assert_int_equal(pick(f, 999), 0);
	assert_true(f->v[4].blocked);
	assert_int_equal(f->v[4].wake_at, 1000);
	/* At the deadline: woken and picked. */
	assert_int_equal(pick(f, 1000), 4);
	assert_false(f->v[4].blocked);
	assert_int_equal(pick(f, 1000), 0);
	assert_int_equal(pick(f, 1000), 4);
}

/* Every expired vCPU wakes in one pick, not only the one returned. */
static void test_pick_wakes_all_expired(void **state)
{
	struct fixture *f = *state;

	block(&f->v[1], 10);
	block(&f->v[2], 20);
	block(&f->v[3], 30);
	block(&f->v[5], 5);
	f->p.current = &f->v[0];
	assert_int_equal(pick(f, 25), 1);
	assert_false(f->v[1].blocked);
	assert_false(f->v[2].blocked);
	assert_true(f->v[3].blocked);
	assert_false(f->v[5].blocked);
	assert_int_equal(pick(f, 25), 2);
	assert_int_equal(pick(f, 25), 4);
	assert_int_equal(pick(f, 25), 5);
	assert_int_equal(pick(f, 25), 0);
	assert_int_equal(pick(f, 30), 1);
	assert_int_equal(pick(f, 30), 2);
	assert_int_equal(pick(f, 30), 3);
}

/* A blocked vCPU of a stopping VM wakes on time but is not picked. */
static void test_pick_wakes_but_vm_stopped(void **state)
{
	struct fixture *f = *state;

	f->v[1].vm = &f->other_vm;
	f->other_vm.state = VM_STOPPING;
	block(&f->v[1], 10);
	f->p.current = &f->v[0];
	assert_int_equal(pick(f, 10), 2);
	assert_false(f->v[1].blocked);
	assert_int_equal(pick(f, 10), 3);
}

static void test_next_wake(void **state)
{
	struct fixture *f = *state;

	/* Nothing blocked. */
	assert_int_equal(sched_next_wake(&f->p), SCHED_NEVER);
	block(&f->v[1], 300);
	assert_int_equal(sched_next_wake(&f->p), 300);
	block(&f->v[4], 200);
	block(&f->v[5], 500);
	assert_int_equal(sched_next_wake(&f->p), 200);
	/* Powered off: its deadline does not count. */
	block(&f->v[2], 50);
	f->v[2].power = VCPU_OFF;
	assert_int_equal(sched_next_wake(&f->p), 200);
	/* Not blocked: a stale wake_at does not count. */
	f->v[0].wake_at = 10;
	assert_int_equal(sched_next_wake(&f->p), 200);
	/* Waking the earliest moves it on. */
	f->v[4].blocked = false;
	assert_int_equal(sched_next_wake(&f->p), 300);
	/* Blocked with no deadline (WFI, timer off). */
	for (unsigned i = 0; i < NR_VCPUS; i++)
		block(&f->v[i], SCHED_NEVER);
	assert_int_equal(sched_next_wake(&f->p), SCHED_NEVER);
	block(&f->v[3], 0);
	assert_int_equal(sched_next_wake(&f->p), 0);
	struct pcpu empty = {0};
	assert_int_equal(sched_next_wake(&empty), SCHED_NEVER);
}

/* next_wake and pick agree: at the deadline next_wake reports, the vCPU is picked. */
static void test_next_wake_then_pick(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < NR_VCPUS; i++)
		block(&f->v[i], 1000 + 7 * (NR_VCPUS - i));
	uint64_t t = sched_next_wake(&f->p);
	assert_int_equal(t, 1007);
	assert_null(sched_pick(&f->p, f->p.current, t - 1));
	assert_int_equal(pick(f, t), NR_VCPUS - 1);
	assert_int_equal(sched_next_wake(&f->p), 1014);
}

#define FIXTURE_TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FIXTURE_TEST(test_runnable),
	    FIXTURE_TEST(test_pick_after_unloaded_vcpu),
	    cmocka_unit_test(test_assign_balances),
	    cmocka_unit_test(test_assign_uneven_start),
	    cmocka_unit_test(test_assign_full),
	    FIXTURE_TEST(test_pick_round_robin),
	    FIXTURE_TEST(test_pick_leaves_current),
	    FIXTURE_TEST(test_pick_foreign_current),
	    FIXTURE_TEST(test_pick_skips_unrunnable),
	    FIXTURE_TEST(test_pick_never_off),
	    FIXTURE_TEST(test_pick_only_current),
	    FIXTURE_TEST(test_pick_none),
	    FIXTURE_TEST(test_pick_wakes_on_deadline),
	    FIXTURE_TEST(test_pick_wakes_all_expired),
	    FIXTURE_TEST(test_pick_wakes_but_vm_stopped),
	    FIXTURE_TEST(test_next_wake),
	    FIXTURE_TEST(test_next_wake_then_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
