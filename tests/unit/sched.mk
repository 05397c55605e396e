UNIT_TESTS += sched
UNIT_sched_SRCS := tests/unit/test_sched.c core/sched.c
