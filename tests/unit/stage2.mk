UNIT_TESTS += stage2
UNIT_stage2_SRCS := tests/unit/test_stage2.c arch/aarch64/stage2.c
